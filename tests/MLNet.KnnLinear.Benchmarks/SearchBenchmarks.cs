using BenchmarkDotNet.Attributes;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// Exact search of 1,000 CIFAR-shaped queries (3,072 features) against 10k/25k/50k rows: the figures compared with
/// faiss IndexFlatL2 and scikit-learn brute force (reference/knn_reference.py), and the scaling in rows and threads.
/// </summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private FlatIndex _index = null!;
    private float[] _queries = null!;
    private float[] _distances = null!;
    private int[] _rows = null!;

    public static IEnumerable<int> RowCounts => BenchmarkData.RowCounts(10_000, 25_000, 50_000);

    [ParamsSource(nameof(RowCounts))]
    public int Rows { get; set; }

    [Params(KnnDistance.L2, KnnDistance.L1)]
    public KnnDistance Distance { get; set; }

    [Params(1, 7)]
    public int K { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _index = new FlatIndex(BenchmarkData.Pixels(Rows, BenchmarkData.Dimension, seed: 1), BenchmarkData.Dimension, Distance, Threads);
        _queries = BenchmarkData.Pixels(BenchmarkData.Queries, BenchmarkData.Dimension, seed: 2);
        _distances = new float[BenchmarkData.Queries * K];
        _rows = new int[BenchmarkData.Queries * K];
    }

    [Benchmark]
    public void Search() => _index.Search(_queries, K, _distances, _rows);
}
