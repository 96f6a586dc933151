using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>
/// Writes and reads our transformers inside ML.NET's model files. ML.NET records a version header naming the
/// loader (our assembly and <see cref="PersistenceInfo.Kind"/>); the state itself is one stream in
/// <see cref="ModelStateFormat"/>, so ML.NET's own layout never constrains it.
/// </summary>
internal static class ModelPersistence
{
    public const string StateStreamName = "KnnLinearState.bin";

    public static void Save<T>(ModelSaveContext ctx, T transformer)
        where T : class, IPersistentTransformer<T>
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var info = T.Persistence;
        ctx.CheckAtModel();
        ctx.SetVersionInfo(VersionInfoOf(info));
        if (ctx.InRepository)
        {
            ctx.SaveBinaryStream(StateStreamName, writer => ModelStateFormat.Write(writer.BaseStream, info.Kind, info.Version, transformer.WriteState));
        }
        else
        {
            ModelStateFormat.Write(ctx.Writer.BaseStream, info.Kind, info.Version, transformer.WriteState);
        }
    }

    public static T Load<T>(ModelLoadContext ctx)
        where T : class, IPersistentTransformer<T>
    {
        var info = T.Persistence;
        ctx.CheckAtModel(VersionInfoOf(info));
        T? result = null;
        if (ctx.InRepository)
        {
            if (!ctx.TryLoadBinaryStream(StateStreamName, reader => result = ModelStateFormat.Read(reader.BaseStream, info.Kind, info.Version, T.ReadState)))
            {
                throw new InvalidDataException($"The model file has no '{StateStreamName}' stream for its '{info.Kind}'.");
            }
        }
        else
        {
            result = ModelStateFormat.Read(ctx.Reader.BaseStream, info.Kind, info.Version, T.ReadState);
        }

        return result!;
    }

    private static VersionInfo VersionInfoOf(PersistenceInfo info)
    {
        uint version = (uint)info.Version;
        return new VersionInfo(
            modelSignature: info.ModelSignature,
            verWrittenCur: version,
            verReadableCur: version,
            verWeCanReadBack: 1,
            loaderSignature: info.Kind,
            loaderAssemblyName: typeof(ModelPersistence).Assembly.FullName);
    }
}
