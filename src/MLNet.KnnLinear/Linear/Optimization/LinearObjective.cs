using MLNet.KnnLinear.Pipeline;
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
    private const int BlockRows = 48;

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
        _threads = Math.Max(0, threads);
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

    /// <summary>How many times <see cref="Evaluate"/> ran (line searches included).</summary>
    public int Evaluations { get; private set; }

    /// <summary>Smooth objective at <paramref name="theta"/>; its gradient goes to <paramref name="gradient"/>.</summary>
    public double Evaluate(double[] theta, double[] gradient)
    {
        Evaluations++;
        float[] panels = PackWeights(theta);
        float[] biases = new float[Classes];
        for (int c = 0; c < Classes; c++)
        {
            biases[c] = (float)theta[(Classes * Dimension) + c];
        }

        ParallelRanges.Run(_chunkGradients.Length, _threads, chunk =>
        {
            _chunkGradients[chunk] ??= new float[(PaddedClasses * Dimension) + Classes];
            _chunkLosses[chunk] = EvaluateChunk(chunk, panels, biases, _chunkGradients[chunk]);
        });

        Array.Clear(gradient);
        double data = 0;
        for (int chunk = 0; chunk < _chunkGradients.Length; chunk++)
        {
            data += _chunkLosses[chunk];
            var g = _chunkGradients[chunk];
            for (int i = 0; i < Classes * Dimension; i++)
            {
                gradient[i] += g[i];
            }

            for (int c = 0; c < Classes; c++)
            {
                gradient[(Classes * Dimension) + c] += g[(PaddedClasses * Dimension) + c];
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
        int chunkFirst = chunk * ChunkRows;
        int chunkCount = Math.Min(ChunkRows, Rows - chunkFirst);
        int paddedClasses = PaddedClasses;
        var scores = new float[BlockRows * Classes];
        var dScoresT = new float[paddedClasses * BlockRows];
        var dScores = new float[Classes];
        var biasGradient = gradient.AsSpan(paddedClasses * Dimension, Classes);
        Array.Clear(gradient);
        double loss = 0;

        // Blocks of rows small enough to stay in L2 between the scores pass and the gradient pass over them.
        for (int first = chunkFirst; first < chunkFirst + chunkCount; first += BlockRows)
        {
            int count = Math.Min(BlockRows, chunkFirst + chunkCount - first);
            Scores(panels, biases, first, count, scores);
            Array.Clear(dScoresT);
            for (int i = 0; i < count; i++)
            {
                int row = first + i;
                float weight = _exampleWeights[row];
                if (weight == 0f)
                {
                    continue;
                }

                loss += weight * Loss.Compute(scores.AsSpan(i * Classes, Classes), _labels[row], dScores);
                for (int c = 0; c < Classes; c++)
                {
                    // dS scaled by the example weight, stored class-major so that ∂/∂W = dSᵀ X is the GEMM micro-kernel again.
                    float g = dScores[c] * weight;
                    dScoresT[(c * BlockRows) + i] = g;
                    biasGradient[c] += g;
                }
            }

            AccumulateWeightGradient(dScoresT, first, count, gradient);
        }

        return loss;
    }

    private int PaddedClasses => (Classes + DotTile.Rows - 1) / DotTile.Rows * DotTile.Rows;

    /// <summary>gradient[c, k] += Σᵢ dSᵀ[c, i] X[first + i, k], by 6 × 16 tiles; features past the last whole panel of 16 by a scalar loop.</summary>
    private void AccumulateWeightGradient(float[] dScoresT, int first, int count, float[] gradient)
    {
        int d = Dimension;
        int fullPanels = d / DotTile.Columns;
        fixed (float* a = dScoresT, x = _features, g = gradient)
        {
            for (int tile = 0; tile < PaddedClasses; tile += DotTile.Rows)
            {
                for (int p = 0; p < fullPanels; p++)
                {
                    DotTile.Accumulate(a + (tile * BlockRows), BlockRows, x + ((long)first * d) + (p * DotTile.Columns), d, count, g + (tile * d) + (p * DotTile.Columns), d);
                }
            }

            for (int c = 0; c < Classes; c++)
            {
                for (int k = fullPanels * DotTile.Columns; k < d; k++)
                {
                    float sum = g[(c * d) + k];
                    for (int i = 0; i < count; i++)
                    {
                        sum = MathF.FusedMultiplyAdd(dScoresT[(c * BlockRows) + i], x[((long)(first + i) * d) + k], sum);
                    }

                    g[(c * d) + k] = sum;
                }
            }
        }
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
