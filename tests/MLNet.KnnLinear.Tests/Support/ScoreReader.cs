using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>Reads a classifier's scored rows as ML.NET's evaluators see them.</summary>
public static class ScoreReader
{
    /// <summary>Per row: the label key, PredictedLabel, and the 1-based index of the first maximum of Score.</summary>
    public static (List<uint> Labels, List<uint> Predicted, List<uint> Argmax) Read(IDataView scored)
    {
        var labels = new List<uint>();
        var predicted = new List<uint>();
        var argmax = new List<uint>();
        var schema = scored.Schema;
        using var cursor = scored.GetRowCursor([schema["Label"], schema["Score"], schema["PredictedLabel"]]);
        var labelGetter = cursor.GetGetter<uint>(schema["Label"]);
        var scoreGetter = cursor.GetGetter<VBuffer<float>>(schema["Score"]);
        var predictedGetter = cursor.GetGetter<uint>(schema["PredictedLabel"]);
        uint label = 0;
        uint prediction = 0;
        VBuffer<float> score = default;
        while (cursor.MoveNext())
        {
            labelGetter(ref label);
            predictedGetter(ref prediction);
            scoreGetter(ref score);
            var values = score.DenseValues().ToArray();
            int best = 0;
            for (int c = 1; c < values.Length; c++)
            {
                if (values[c] > values[best])
                {
                    best = c;
                }
            }

            labels.Add(label);
            predicted.Add(prediction);
            argmax.Add((uint)best + 1);
        }

        return (labels, predicted, argmax);
    }
}
