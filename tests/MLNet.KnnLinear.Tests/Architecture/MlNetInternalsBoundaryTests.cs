using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MLNet.KnnLinear.Tests.Architecture;

/// <summary>
/// The library compiles against publicized copies of ML.NET (for save/load), so the compiler cannot stop internal
/// ML.NET members from creeping in anywhere. This test reads the built assembly and lists every reference to an
/// ML.NET type or member that is not public in the real ML.NET assemblies, outside the <c>MlNetInterop</c> folder
/// (namespace <c>MLNet.KnnLinear.MlNetInterop</c>), the one place allowed to touch them.
/// </summary>
public sealed class MlNetInternalsBoundaryTests
{
    private const string InteropNamespace = "MLNet.KnnLinear.MlNetInterop";

    [Fact]
    public void Library_OutsideMlNetInterop_UsesOnlyPublicMlNetMembers()
    {
        var violations = Scan().Where(v => !v.Namespace.StartsWith(InteropNamespace, StringComparison.Ordinal)).Select(v => v.Description).Distinct().ToList();

        violations.Should().BeEmpty("ML.NET internals belong in MlNetInterop/ only");
    }

    [Fact]
    public void Scan_FindsTheInternalsThatMlNetInteropDoesUse()
    {
        // The scan must be able to see internals at all, or the test above would pass vacuously.
        Scan().Should().Contain(v => v.Namespace.StartsWith(InteropNamespace, StringComparison.Ordinal), "MlNetInterop saves models through ML.NET internals");
    }

    private static List<(string Namespace, string Description)> Scan()
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        using var module = ModuleDefinition.ReadModule(typeof(KnnTrainer).Assembly.Location, new ReaderParameters { AssemblyResolver = resolver });
        var found = new List<(string, string)>();
        foreach (var type in module.GetTypes())
        {
            string ns = TopLevel(type).Namespace;
            void Check(MemberReference? reference, string where)
            {
                if (reference is not null && IsMlNet(reference) && !IsAccessible(reference))
                {
                    found.Add((ns, $"{where} uses {reference.FullName}"));
                }
            }

            Check(type.BaseType, type.FullName);
            foreach (var method in type.Methods)
            {
                Check(method.ReturnType, method.FullName);
                foreach (var parameter in method.Parameters)
                {
                    Check(parameter.ParameterType, method.FullName);
                }

                if (!method.HasBody)
                {
                    continue;
                }

                foreach (Instruction instruction in method.Body.Instructions)
                {
                    Check(instruction.Operand as MemberReference, method.FullName);
                }
            }

            foreach (var field in type.Fields)
            {
                Check(field.FieldType, field.FullName);
            }
        }

        return found;
    }

    private static TypeDefinition TopLevel(TypeDefinition type) => type.DeclaringType is null ? type : TopLevel(type.DeclaringType);

    private static bool IsMlNet(MemberReference reference)
    {
        var type = reference as TypeReference ?? reference.DeclaringType;
        while (type is TypeSpecification specification)
        {
            type = specification.ElementType;
        }

        return type?.Scope is AssemblyNameReference assembly && assembly.Name.StartsWith("Microsoft.ML", StringComparison.Ordinal);
    }

    private static bool IsAccessible(MemberReference reference)
    {
        switch (reference)
        {
            case GenericInstanceMethod generic:
                return IsAccessible(generic.ElementMethod);
            case TypeSpecification specification:
                return IsAccessible(specification.ElementType) && (specification is not GenericInstanceType instance || instance.GenericArguments.All(a => !IsMlNet(a) || IsAccessible(a)));
            case TypeReference typeReference:
                var type = typeReference.Resolve() ?? throw new InvalidOperationException($"Cannot resolve {typeReference.FullName}");
                return IsVisible(type);
            case MethodReference methodReference:
                var method = methodReference.Resolve() ?? throw new InvalidOperationException($"Cannot resolve {methodReference.FullName}");
                return (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly) && IsVisible(method.DeclaringType);
            case FieldReference fieldReference:
                var field = fieldReference.Resolve() ?? throw new InvalidOperationException($"Cannot resolve {fieldReference.FullName}");
                return (field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly) && IsVisible(field.DeclaringType);
            default:
                return true;
        }
    }

    private static bool IsVisible(TypeDefinition type)
        => (type.IsPublic || type.IsNestedPublic || type.IsNestedFamily || type.IsNestedFamilyOrAssembly) && (type.DeclaringType is null || IsVisible(type.DeclaringType));
}
