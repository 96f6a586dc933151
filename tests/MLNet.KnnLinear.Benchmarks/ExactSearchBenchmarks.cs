using BenchmarkDotNet.Attributes;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// What exactness costs: L2 search of 1,000 CIFAR-shaped queries over pixel rows (whole numbers, so the exact mode
/// of <c>GemmScan</c>) against the same rows shifted by 0.5 (fractional, so the plain float32 mode), in one run.
/// </summary>
[MemoryDiagnoser]
public class ExactSearchBenchmarks
{
    private FlatIndex _index = null!;
    private float[] _queries = null!;
    private float[] _distances = null!;
    private int[] _rows = null!;

    public static IEnumerable<int> RowCounts => BenchmarkData.RowCounts(50_000);

    [ParamsSource(nameof(RowCounts))]
    public int Rows { get; set; }

    [Params(false, true)]
    public bool Fractional { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        float shift = Fractional ? 0.5f : 0f;
        var rows = BenchmarkData.Pixels(Rows, BenchmarkData.Dimension, seed: 1).Select(v => v + shift).ToArray();
        _index = new FlatIndex(rows, BenchmarkData.Dimension, KnnDistance.L2);
        _queries = BenchmarkData.Pixels(BenchmarkData.Queries, BenchmarkData.Dimension, seed: 2).Select(v => v + shift).ToArray();
        _distances = new float[BenchmarkData.Queries];
        _rows = new int[BenchmarkData.Queries];
    }

    [Benchmark]
    public void SearchL2() => _index.Search(_queries, 1, _distances, _rows);
}
