using Microsoft.ML;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Neighbors;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear;

/// <summary>
/// The fitted nearest-neighbours step (see <see cref="NearestNeighborsEstimator"/>): appends the k nearest reference
/// rows' numbers and distances. Saved and loaded with <c>mlContext.Model.Save</c> / <c>Load</c>, index included.
/// </summary>
public sealed class NearestNeighborsTransformer : RowMappingTransformer, IPersistentTransformer<NearestNeighborsTransformer>
{
    internal const string LoaderSignature = "NearestNeighbors";
    private const int StateVersion = 4;

    internal NearestNeighborsTransformer(NeighborIndex index, string inputColumnName, string outputColumnName, string distancesColumnName, int numberOfNeighbors)
    {
        Index = index.AsReadOnly();
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        DistancesColumnName = distancesColumnName;
        NumberOfNeighbors = numberOfNeighbors;
    }

    /// <summary>The index of the reference rows; read-only (<see cref="NeighborIndex.IsReadOnly"/>).</summary>
    public NeighborIndex Index { get; }

    /// <summary>The feature column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The appended row-number column.</summary>
    public string OutputColumnName { get; }

    /// <summary>The appended distance column.</summary>
    public string DistancesColumnName { get; }

    /// <summary>k.</summary>
    public int NumberOfNeighbors { get; }

    /// <summary>
    /// The same step searching its approximate index with another search size (see
    /// <see cref="NeighborIndex.SetSearchSize"/>), sharing the reference rows and the index with this one, which is
    /// left as it is.
    /// </summary>
    /// <exception cref="InvalidOperationException">The index is exact (it has no search size).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is out of range for the index.</exception>
    public NearestNeighborsTransformer WithSearchSize(int probesOrEf)
        => new(Index.WithSearchSize(probesOrEf), InputColumnName, OutputColumnName, DistancesColumnName, NumberOfNeighbors);

    static PersistenceInfo IPersistentTransformer<NearestNeighborsTransformer>.Persistence { get; } = new(LoaderSignature, "NEARNBRS", StateVersion);

    static NearestNeighborsTransformer IPersistentTransformer<NearestNeighborsTransformer>.ReadState(ModelStateReader reader, int version)
    {
        string input = reader.ReadString("input column");
        string output = reader.ReadString("output column");
        string distances = reader.ReadString("distances column");
        int features = reader.ReadInt32("feature count", 1);
        int rows = reader.ReadCount("reference row count", 1, 1);
        int k = reader.ReadInt32("number of neighbors", 1, rows);
        var distance = reader.ReadEnum<KnnDistance>("distance");
        var index = NeighborIndexState.Read(reader, features, rows, distance, maxThreads: 0, version);
        return new NearestNeighborsTransformer(index, input, output, distances, k);
    }

    void IPersistentTransformer<NearestNeighborsTransformer>.WriteState(BinaryWriter writer)
    {
        writer.WriteUtf8(InputColumnName);
        writer.WriteUtf8(OutputColumnName);
        writer.WriteUtf8(DistancesColumnName);
        writer.Write(Index.Dimension);
        writer.Write(Index.Count);
        writer.Write(NumberOfNeighbors);
        writer.Write((int)Index.Distance);
        NeighborIndexState.Write(writer, Index);
    }

    private protected override RowMapping Bind(DataViewSchema inputSchema) => new NearestNeighborsRowMapping(inputSchema, this);

    private protected override void SaveModel(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
