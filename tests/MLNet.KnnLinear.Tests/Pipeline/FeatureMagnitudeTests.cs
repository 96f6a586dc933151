using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Pipeline;

/// <summary>
/// Features so large that float32 squared distances and scores overflow (1e30: kNN fell to 8% training accuracy and
/// every linear loss to 25%, with finite scores and no error) are refused at Fit and at Transform, naming the column;
/// features up to the documented 1e15 still give the same predictions as the same data at scale 1.
/// </summary>
public sealed class FeatureMagnitudeTests
{
    private const int Dimension = 6;

    public static TheoryData<string> Trainers() => new() { "knn-L1", "knn-L2", "knn-Cosine", "Softmax", "Hinge", "SquaredHinge", "OneVersusRestSquaredHinge" };

    [Theory]
    [MemberData(nameof(Trainers))]
    public void Trainer_FeaturesOfMagnitude1e30_FitAndTransformThrowNamingTheColumn(string trainer)
    {
        var ml = new MLContext(seed: 1);
        var huge = SyntheticData.Keyed(ml, SyntheticData.Rows(60, Dimension, seed: 1, scale: 1e30f), Dimension);
        var normal = SyntheticData.Keyed(ml, SyntheticData.Rows(60, Dimension, seed: 1), Dimension);

        FluentActions.Invoking(() => Create(ml, trainer).Fit(huge))
            .Should().Throw<InvalidOperationException>().WithMessage("*'Features'*E+30*±1e15*");
        var fitted = Create(ml, trainer).Fit(normal);
        FluentActions.Invoking(() => fitted.Transform(huge).Preview(maxRows: 5))
            .Should().Throw<InvalidOperationException>().WithMessage("*'Features'*E+30*±1e15*");
    }

    [Theory]
    [InlineData("knn-L1")]
    [InlineData("knn-L2")]
    public void Knn_FeaturesUpToTheLimit_PredictAsAtScaleOne(string trainer)
    {
        var ml = new MLContext(seed: 1);
        var small = SyntheticData.Rows(80, Dimension, seed: 1);
        var large = SyntheticData.Rows(80, Dimension, seed: 1, scale: 35184372088832f); // 2^45: values up to 8.1e14, exactly scaled

        var atOne = Predicted(ml, trainer, small);
        var atLimit = Predicted(ml, trainer, large);

        atLimit.Should().Equal(atOne);
    }

    private static List<uint> Predicted(MLContext ml, string trainer, LabelledRow[] rows)
    {
        var data = SyntheticData.Keyed(ml, rows, Dimension);
        return ScoreReader.Read(Create(ml, trainer).Fit(data).Transform(data)).Predicted;
    }

    private static IEstimator<ITransformer> Create(MLContext ml, string trainer) => trainer.StartsWith("knn-", StringComparison.Ordinal)
        ? ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 3, Distance = Enum.Parse<KnnDistance>(trainer[4..]) })
        : ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = Enum.Parse<LinearLoss>(trainer), Lambda = 1e-2 });
}
