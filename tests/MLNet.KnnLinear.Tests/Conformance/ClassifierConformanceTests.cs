using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Conformance;

/// <summary>
/// What every multiclass trainer adds to the estimator checks: what ML.NET reports equals what the model predicts.
/// ML.NET's <c>Evaluate</c> takes its accuracy and confusion matrix from argmax(<c>Score</c>), the first maximum
/// winning, not from <c>PredictedLabel</c>; so on every row the first maximum of <c>Score</c> must be the predicted
/// class, and Evaluate's accuracy must be the fraction of rows whose <c>PredictedLabel</c> is the label.
/// </summary>
public abstract class ClassifierConformanceTests : EstimatorConformanceTests
{
    protected override string[] OutputColumns => ["Score", "PredictedLabel"];

    /// <summary>Data to score for the agreement check; by default the test data. Classifiers that can tie use data that ties.</summary>
    protected virtual IDataView AgreementData(MLContext ml) => TestData(ml);

    [Fact]
    public void Classifier_FirstArgmaxOfScore_IsPredictedLabel_AndEvaluateAgrees()
    {
        var ml = NewContext();
        var transformer = CreateEstimator(ml).Fit(TrainData(ml));
        var scored = transformer.Transform(AgreementData(ml));

        var (labels, predicted, argmax) = ScoreReader.Read(scored);
        labels.Should().NotBeEmpty();
        for (int i = 0; i < labels.Count; i++)
        {
            argmax[i].Should().Be(predicted[i], $"row {i}: ML.NET's evaluators read argmax(Score) as the prediction");
        }

        double accuracy = labels.Zip(predicted).Count(p => p.First == p.Second) / (double)labels.Count;
        ml.MulticlassClassification.Evaluate(scored).MicroAccuracy.Should().Be(accuracy, "Evaluate must report what PredictedLabel predicts");
    }
}
