using BenchmarkDotNet.Attributes;
using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>The distance kernels alone, against their scalar twins, at CIFAR and odd dimensions.</summary>
[MemoryDiagnoser]
public unsafe class KernelBenchmarks
{
    private float[] _a = null!;
    private float[] _b = null!;
    private float[] _c = null!;
    private byte[] _q = null!;
    private byte[] _r = null!;
    private uint[] _sums = null!;

    [Params(383, 3072)]
    public int Dimension { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _a = BenchmarkData.Pixels(DotTile.Rows, Dimension, seed: 1);
        _b = BenchmarkData.Pixels(DotTile.Columns, Dimension, seed: 2);
        _c = new float[DotTile.Rows * DotTile.Columns];
        _q = _a.Take(SadTile.Queries * Dimension).Select(v => (byte)v).ToArray();
        _r = _b.Take(SadTile.Rows * Dimension).Select(v => (byte)v).ToArray();
        _sums = new uint[8];
    }

    /// <summary>96 dot products of length Dimension (6 × 16 tile, B read as packed panel).</summary>
    [Benchmark]
    public void DotTile6x16()
    {
        fixed (float* a = _a, b = _b, c = _c)
        {
            DotTile.Accumulate(a, Dimension, b, Dimension / DotTile.Columns, c, DotTile.Columns);
        }
    }

    [Benchmark]
    public void DotTile6x16Scalar()
    {
        fixed (float* a = _a, b = _b, c = _c)
        {
            DotTile.AccumulateScalar(a, Dimension, b, Dimension / DotTile.Columns, c, DotTile.Columns);
        }
    }

    /// <summary>8 byte L1 distances of length Dimension (4 queries × 2 rows).</summary>
    [Benchmark]
    public void SadTile4x2()
    {
        fixed (byte* q = _q, r = _r)
        fixed (uint* s = _sums)
        {
            SadTile.Compute(q, Dimension, r, Dimension, Dimension, s);
        }
    }

    [Benchmark]
    public void SadTile4x2Scalar()
    {
        fixed (byte* q = _q, r = _r)
        fixed (uint* s = _sums)
        {
            SadTile.ComputeScalar(q, Dimension, r, Dimension, Dimension, s);
        }
    }

    [Benchmark]
    public float L1Float() => L1Distance.Compute(_a.AsSpan(0, Dimension), _b.AsSpan(0, Dimension));

    [Benchmark]
    public float L1FloatScalar() => ScalarDistances.L1(_a.AsSpan(0, Dimension), _b.AsSpan(0, Dimension));
}
