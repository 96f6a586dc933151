using System.Numerics.Tensors;
using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Linear.Losses;
using MLNet.KnnLinear.Linear.Regularizers;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Linear.Optimization;

/// <summary>
/// The smooth part of the training objective over in-memory data, (1 / Σw) Σᵢ wᵢ Lᵢ(W xᵢ + b) + λ₂ Σ W², and its
/// gradient, for the parameter vector θ = [W row-major (classes × features), b]. Scores come from the GEMM
/// micro-kernel (<see cref="DotTile"/>) with W packed as panels of 16 classes. Rows are processed in fixed chunks, each
/// with its own gradient buffer, summed in chunk order: the result does not depend on the number of threads.
/// </summary>
internal sealed unsafe class LinearObjective
{
    private const int ChunkRows = 240;

    private readonly float[] _features;
    private readonly int[] _labels;
    private readonly float[] _exampleWeights;
    private readonly double _totalWeight;
    private readonly int _threads;
    private readonly float[][] _chunkGradients;
    private readonly double[] _chunkLosses;

    /// <param name="features">Rows × features values, row-major; at least <see cref="DotTile.Rows"/> zero rows of padding after the last row.</param>
    /// <param name="labels">The 0-based class of each row.</param>
    /// <param name="exampleWeights">wᵢ per row, or null for 1.</param>
    /// <param name="dimension">Features per row.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="loss">The data loss.</param>
    /// <param name="regularizer">λ R(W); only its smooth part is evaluated here.</param>
    /// <param name="threads">Threads for the chunks (0: every core).</param>
    public LinearObjective(float[] features, int[] labels, float[]? exampleWeights, int dimension, int classes, ILinearLoss loss, Regularizer regularizer, int threads)
    {
        Rows = labels.Length;
        Dimension = dimension;
        Classes = classes;
        Loss = loss;
        Regularizer = regularizer;
        _features = features;
        _labels = labels;
        _exampleWeights = exampleWeights ?? Enumerable.Repeat(1f, Rows).ToArray();
        _totalWeight = _exampleWeights.Sum(w => (double)w);
        _threads = threads > 0 ? threads : Environment.ProcessorCount;
        int chunks = (Rows + ChunkRows - 1) / ChunkRows;
        _chunkGradients = new float[chunks][];
        _chunkLosses = new double[chunks];
    }

    public int Rows { get; }

    public int Dimension { get; }

    public int Classes { get; }

    public ILinearLoss Loss { get; set; }

    public Regularizer Regularizer { get; }

    public int ParameterCount => (Classes * Dimension) + Classes;

    /// <summary>Smooth objective at <paramref name="theta"/>; its gradient goes to <paramref name="gradient"/>.</summary>
    public double Evaluate(double[] theta, double[] gradient)
    {
        float[] panels = PackWeights(theta);
        float[] biases = new float[Classes];
        for (int c = 0; c < Classes; c++)
        {
            biases[c] = (float)theta[(Classes * Dimension) + c];
        }

        Parallel.For(0, _chunkGradients.Length, new ParallelOptions { MaxDegreeOfParallelism = _threads }, chunk =>
        {
            _chunkGradients[chunk] ??= new float[ParameterCount];
            _chunkLosses[chunk] = EvaluateChunk(chunk, panels, biases, _chunkGradients[chunk]);
        });

        Array.Clear(gradient);
        double data = 0;
        for (int chunk = 0; chunk < _chunkGradients.Length; chunk++)
        {
            data += _chunkLosses[chunk];
            var g = _chunkGradients[chunk];
            for (int i = 0; i < g.Length; i++)
            {
                gradient[i] += g[i];
            }
        }

        double inverse = 1.0 / _totalWeight;
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] *= inverse;
        }

        var weights = ToFloat(theta, Classes * Dimension);
        return (data * inverse) + Regularizer.AddSmooth(weights, gradient.AsSpan(0, Classes * Dimension));
    }

    /// <summary>Scores of rows [first, first + count) into <paramref name="scores"/> (count × classes).</summary>
    public void Scores(float[] panels, float[] biases, int first, int count, Span<float> scores)
    {
        int panelCount = panels.Length / (PanelPacking.PanelRows * Dimension);
        Span<float> tile = stackalloc float[DotTile.Rows * DotTile.Columns];
        fixed (float* x = _features, w = panels)
        fixed (float* t = tile)
        {
            for (int r = 0; r < count; r += DotTile.Rows)
            {
                for (int p = 0; p < panelCount; p++)
                {
                    tile.Clear();
                    DotTile.Accumulate(x + ((long)(first + r) * Dimension), Dimension, w + ((long)p * PanelPacking.PanelRows * Dimension), Dimension, t, DotTile.Columns);
                    for (int i = 0; i < DotTile.Rows && r + i < count; i++)
                    {
                        for (int j = 0; j < DotTile.Columns && (p * DotTile.Columns) + j < Classes; j++)
                        {
                            int c = (p * DotTile.Columns) + j;
                            scores[((r + i) * Classes) + c] = t[(i * DotTile.Columns) + j] + biases[c];
                        }
                    }
                }
            }
        }
    }

    /// <summary>W of θ as float panels of 16 classes, k-major, for <see cref="DotTile"/>.</summary>
    public float[] PackWeights(double[] theta) => PanelPacking.Pack(ToFloat(theta, Classes * Dimension), Classes, Dimension);

    private double EvaluateChunk(int chunk, float[] panels, float[] biases, float[] gradient)
    {
        int first = chunk * ChunkRows;
        int count = Math.Min(ChunkRows, Rows - first);
        var scores = new float[count * Classes];
        Scores(panels, biases, first, count, scores);
        Array.Clear(gradient);
        var dScores = new float[Classes];
        double loss = 0;
        var biasGradient = gradient.AsSpan(Classes * Dimension);
        for (int i = 0; i < count; i++)
        {
            int row = first + i;
            float weight = _exampleWeights[row];
            if (weight == 0f)
            {
                continue;
            }

            loss += weight * Loss.Compute(scores.AsSpan(i * Classes, Classes), _labels[row], dScores);
            var x = _features.AsSpan(row * Dimension, Dimension);
            for (int c = 0; c < Classes; c++)
            {
                float g = dScores[c] * weight;
                if (g != 0f)
                {
                    var wc = gradient.AsSpan(c * Dimension, Dimension);
                    TensorPrimitives.MultiplyAdd(x, g, wc, wc);
                    biasGradient[c] += g;
                }
            }
        }

        return loss;
    }

    private static float[] ToFloat(double[] values, int count)
    {
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = (float)values[i];
        }

        return result;
    }
}
