namespace MLNet.KnnLinear.Knn;

/// <summary>
/// Turns the k nearest neighbours of one query (nearest first) into class scores and a predicted class.
/// Scores are vote fractions: each neighbour's weight over the total weight, so they sum to 1.
/// The prediction is the class with the highest score; among tied classes, the one holding the nearest neighbour.
/// The scores then carry that rule: every other class whose score is not below the predicted one's (a tied class, or
/// one equal only after rounding to float) is lowered to the float just below it, so that the first maximum of the
/// scores, which is what ML.NET's evaluators take as the prediction, is the predicted class whatever the class order.
/// </summary>
internal static class KnnVoting
{
    /// <summary>Fills <paramref name="scores"/> (one slot per class) and returns the predicted class index.</summary>
    /// <param name="neighborDistances">Distances of the neighbours, ascending.</param>
    /// <param name="neighborClasses">Class index (0-based) of each neighbour, in the same order.</param>
    /// <param name="weighting">Uniform or inverse-distance votes.</param>
    /// <param name="scores">Receives the vote fractions; its length is the number of classes.</param>
    public static int Vote(ReadOnlySpan<float> neighborDistances, ReadOnlySpan<int> neighborClasses, KnnWeighting weighting, Span<float> scores)
    {
        int k = neighborClasses.Length;
        if (k == 0)
        {
            // 0 / 0 votes would be NaN scores; the model decides what no neighbour means (KnnModelParameters.Predict).
            throw new ArgumentException("At least one neighbour must vote.", nameof(neighborClasses));
        }

        scores.Clear();
        bool exactMatch = weighting == KnnWeighting.InverseDistance && k > 0 && neighborDistances[0] == 0f;
        double total = 0;
        Span<double> votes = scores.Length <= 256 ? stackalloc double[scores.Length] : new double[scores.Length];
        votes.Clear();
        for (int i = 0; i < k; i++)
        {
            double weight = weighting switch
            {
                KnnWeighting.Uniform => 1.0,
                _ when exactMatch => neighborDistances[i] == 0f ? 1.0 : 0.0,
                _ => 1.0 / neighborDistances[i],
            };
            votes[neighborClasses[i]] += weight;
            total += weight;
        }

        // Neighbours are nearest first, so the first neighbour whose class has the top vote decides ties.
        double best = double.NegativeInfinity;
        for (int c = 0; c < votes.Length; c++)
        {
            best = Math.Max(best, votes[c]);
            scores[c] = (float)(votes[c] / total);
        }

        int predicted = 0;
        for (int i = 0; i < k; i++)
        {
            if (votes[neighborClasses[i]] == best)
            {
                predicted = neighborClasses[i];
                break;
            }
        }

        float top = scores[predicted];
        float below = MathF.BitDecrement(top);
        for (int c = 0; c < scores.Length; c++)
        {
            if (c != predicted && scores[c] >= top)
            {
                scores[c] = below;
            }
        }

        return predicted;
    }
}
