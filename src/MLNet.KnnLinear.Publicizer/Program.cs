using Mono.Cecil;

// Usage: Publicizer <output-directory> <assembly.dll>...
// Writes <output-directory>/<name>.dll, a copy of each assembly in which every type, method and field is public.
// The copies are reference-only: they are passed to the compiler and never shipped or loaded.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Publicizer <output-directory> <assembly.dll>...");
    return 2;
}

var outputDirectory = args[0];
Directory.CreateDirectory(outputDirectory);
foreach (var input in args.Skip(1))
{
    var resolver = new DefaultAssemblyResolver();
    resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(input))!);
    using var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { AssemblyResolver = resolver });
    foreach (var type in assembly.MainModule.GetTypes())
    {
        Publicize(type);
    }

    var output = Path.Combine(outputDirectory, Path.GetFileName(input));
    assembly.Write(output);
    Console.WriteLine($"Publicizer: {Path.GetFileName(input)} -> {output}");
}

return 0;

static void Publicize(TypeDefinition type)
{
    if (type.IsNested)
    {
        type.IsNestedPublic = true;
    }
    else
    {
        type.IsPublic = true;
    }

    foreach (var method in type.Methods)
    {
        method.IsPublic = true;
    }

    foreach (var field in type.Fields)
    {
        // A public field named like an event of the same type would make event access ambiguous for the compiler.
        if (type.Events.Any(e => e.Name == field.Name))
        {
            continue;
        }

        field.IsPublic = true;
    }
}
