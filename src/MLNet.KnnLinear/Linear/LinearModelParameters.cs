using System.Numerics.Tensors;
using MLNet.KnnLinear.Linear.Losses;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// A fitted multiclass linear classifier: scores s = W x + b, one row of W per class. Immutable and thread-safe.
/// </summary>
public sealed class LinearModelParameters
{
    private readonly float[] _weights;
    private readonly float[] _biases;

    internal LinearModelParameters(float[] weights, float[] biases, int featureCount, LinearLoss loss, OptimizationTrace? trace)
    {
        if (weights.Length != biases.Length * featureCount)
        {
            throw new ArgumentException($"{weights.Length} weights for {biases.Length} classes × {featureCount} features.", nameof(weights));
        }

        _weights = weights;
        _biases = biases;
        FeatureCount = featureCount;
        Loss = loss;
        Trace = trace;
    }

    /// <summary>The length of the feature vectors.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of classes (rows of W).</summary>
    public int ClassCount => _biases.Length;

    /// <summary>The loss the model was trained with.</summary>
    public LinearLoss Loss { get; }

    /// <summary>W, row-major: class c's weights are entries [c × FeatureCount, (c + 1) × FeatureCount).</summary>
    public IReadOnlyList<float> Weights => _weights;

    /// <summary>b, one bias per class.</summary>
    public IReadOnlyList<float> Biases => _biases;

    /// <summary>The training objective and optimality per iteration (null for a model loaded from a file).</summary>
    public OptimizationTrace? Trace { get; }

    /// <summary>The weights of class <paramref name="classIndex"/> (0-based; a copy).</summary>
    public float[] GetClassWeights(int classIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, ClassCount);
        return _weights.AsSpan(classIndex * FeatureCount, FeatureCount).ToArray();
    }

    /// <summary>Raw scores s = W x + b of one example (before the softmax that gives <c>Score</c>).</summary>
    public void GetScores(ReadOnlySpan<float> features, Span<float> scores)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        }

        for (int c = 0; c < ClassCount; c++)
        {
            scores[c] = TensorPrimitives.Dot(features, _weights.AsSpan(c * FeatureCount, FeatureCount)) + _biases[c];
        }
    }

    /// <summary>Class probabilities: softmax of the scores, for both losses.</summary>
    public void GetProbabilities(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        Span<float> scores = ClassCount <= 256 ? stackalloc float[ClassCount] : new float[ClassCount];
        GetScores(features, scores);
        SoftmaxLoss.Probabilities(scores, probabilities);
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write(FeatureCount);
        writer.Write(ClassCount);
        writer.Write((int)Loss);
        writer.WriteArray<float>(_weights);
        writer.WriteArray<float>(_biases);
    }

    internal static LinearModelParameters Read(ModelStateReader reader)
    {
        int features = reader.ReadInt32("feature count", 1);
        int classes = reader.ReadInt32("class count", 1);
        var loss = reader.ReadEnum<LinearLoss>("loss");
        float[] weights = reader.ReadArray<float>((long)features * classes, "weights");
        float[] biases = reader.ReadArray<float>(classes, "biases");
        return new LinearModelParameters(weights, biases, features, loss, trace: null);
    }
}
