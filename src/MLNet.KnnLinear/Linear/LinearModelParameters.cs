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

    /// <summary>
    /// Writes each class's weights as a picture (the lecture's class templates) when the features are the pixels of
    /// a <paramref name="height"/> × <paramref name="width"/> image with <paramref name="channels"/> channels (1 or 3),
    /// planar (all of channel 0, then 1, then 2, as CIFAR-10 and ExtractPixels store them) or interleaved.
    /// Each template is stretched to 0..255 over its own min..max. Writes <c>class-{c}.png</c> per class and
    /// <c>templates.png</c>, all of them side by side, into <paramref name="directory"/>; returns the file paths.
    /// </summary>
    public IReadOnlyList<string> SaveClassTemplates(string directory, int height, int width, int channels = 3, bool planar = true, IReadOnlyList<string>? classNames = null)
    {
        if (height * width * channels != FeatureCount || channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"{height} × {width} × {channels} does not match the {FeatureCount} features (channels must be 1 or 3).");
        }

        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        var grid = new byte[height * width * ClassCount * 3];
        for (int c = 0; c < ClassCount; c++)
        {
            var w = _weights.AsSpan(c * FeatureCount, FeatureCount);
            float min = TensorPrimitives.Min(w);
            float max = TensorPrimitives.Max(w);
            float scale = max > min ? 255f / (max - min) : 0f;
            var rgb = new byte[height * width * 3];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    for (int ch = 0; ch < 3; ch++)
                    {
                        int source = channels == 1 ? 0 : ch;
                        int index = planar ? (source * height * width) + (y * width) + x : (((y * width) + x) * channels) + source;
                        byte value = (byte)Math.Clamp(MathF.Round((w[index] - min) * scale), 0, 255);
                        rgb[(((y * width) + x) * 3) + ch] = value;
                        grid[(((y * width * ClassCount) + (c * width) + x) * 3) + ch] = value;
                    }
                }
            }

            string name = classNames is not null && c < classNames.Count ? $"class-{c}-{Sanitize(classNames[c])}.png" : $"class-{c}.png";
            string path = Path.Combine(directory, name);
            PngEncoder.WriteRgb(path, rgb, width, height);
            paths.Add(path);
        }

        string gridPath = Path.Combine(directory, "templates.png");
        PngEncoder.WriteRgb(gridPath, grid, width * ClassCount, height);
        paths.Add(gridPath);
        return paths;
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

    private static string Sanitize(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_'));
}
