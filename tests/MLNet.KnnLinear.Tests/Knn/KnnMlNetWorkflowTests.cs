using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.ModelRunner;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Knn;

/// <summary>The kNN trainer in every ML.NET workflow a user reaches for.</summary>
public sealed class KnnMlNetWorkflowTests
{
    private const int Dimension = 6;

    [Fact]
    public void Knn_Evaluate_ReportsAccuracyLogLossAndConfusionMatrix()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 5).Fit(Data(ml, 400, seed: 1));

        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(Data(ml, 200, seed: 2)));

        metrics.MicroAccuracy.Should().BeGreaterThan(0.5, "the synthetic classes are separable enough for 5-NN");
        metrics.LogLoss.Should().BePositive().And.Subject.Should().NotBe(double.PositiveInfinity);
        metrics.ConfusionMatrix.NumberOfClasses.Should().Be(4);
        metrics.ConfusionMatrix.Counts.Sum(row => row.Sum()).Should().Be(200);
    }

    [Fact]
    public void Knn_CrossValidate_FiveFoldsEachEvaluated()
    {
        var ml = new MLContext(seed: 1);
        var results = ml.MulticlassClassification.CrossValidate(Data(ml, 300, seed: 3), ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3), numberOfFolds: 5);

        results.Should().HaveCount(5);
        results.Should().OnlyContain(r => r.Metrics.MicroAccuracy > 0.4 && r.Model is KnnPredictionTransformer);
    }

    [Fact]
    public void Knn_PredictionEngine_SameAnswersAsBatchTransform()
    {
        var ml = new MLContext(seed: 1);
        var pipeline = SyntheticData.LabelToKey(ml)
            .Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var rows = SyntheticData.Rows(50, Dimension, seed: 4);
        var model = pipeline.Fit(SyntheticData.ToDataView(ml, SyntheticData.Rows(200, Dimension, seed: 5), Dimension));
        var batch = ml.Data.CreateEnumerable<Prediction>(model.Transform(SyntheticData.ToDataView(ml, rows, Dimension)), reuseRowObject: false).ToList();

        var engine = ml.Model.CreatePredictionEngine<LabelledRow, Prediction>(model, inputSchemaDefinition: FeatureSchema());
        for (int i = 0; i < rows.Length; i++)
        {
            var single = engine.Predict(rows[i]);
            single.PredictedLabel.Should().Be(batch[i].PredictedLabel, $"row {i}");
            single.Score.Should().Equal(batch[i].Score, $"row {i}");
        }
    }

    [Fact]
    public void Knn_PermutationFeatureImportance_OneEntryPerFeatureAndInformativeFeaturesMatter()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 5).Fit(Data(ml, 300, seed: 6));

        var importance = ml.MulticlassClassification.PermutationFeatureImportance(model, Data(ml, 150, seed: 7), permutationCount: 2);

        importance.Should().HaveCount(Dimension);
        importance.Should().Contain(m => m.MicroAccuracy.Mean < -0.01, "permuting a feature that separates classes must cost accuracy");
    }

    [Fact]
    public void Knn_SaveLoadPipelineWithKeyMapping_FreshProcessBitIdentical()
    {
        var ml = new MLContext(seed: 1);
        var train = SplitFeatures(ml, SyntheticData.Rows(200, 3, seed: 8));
        var test = SplitFeatures(ml, SyntheticData.Rows(60, 3, seed: 9));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "A", "B", "C"))
            .Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3, distance: KnnDistance.L1))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "pipeline.zip");
        ml.Model.Save(model, train.Schema, path);

        var expected = ColumnDump.Rows(model.Transform(test), "Score", "PredictedLabel").Select(r => Convert.ToHexString(r.Bytes)).ToList();
        var fresh = ModelRunnerProcess.Run(ml, path, test, "Score", "PredictedLabel");

        fresh.Should().Equal(expected);
        ml.Data.CreateEnumerable<Prediction>(model.Transform(test), reuseRowObject: false)
            .Should().OnlyContain(p => SyntheticData.ClassNames.Contains(p.PredictedLabel), "MapKeyToValue must recover the class names");
    }

    [Fact]
    public void KnnModelParameters_FindNearestNeighbors_ReturnsRowsDistancesAndClasses()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new LabelledRow { Label = "ant", Features = [0, 0] },
            new LabelledRow { Label = "bee", Features = [3, 4] },
            new LabelledRow { Label = "cat", Features = [1, 0] },
        };
        var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 2).Fit(SyntheticData.Keyed(ml, rows, 2)).Model;

        var neighbours = model.FindNearestNeighbors([0f, 0f], count: 3);

        neighbours.Should().Equal(new KnnNeighbor(0, 0f, 0), new KnnNeighbor(2, 1f, 2), new KnnNeighbor(1, 5f, 1));
        model.GetTrainingRow(1).Should().Equal(3f, 4f);
        model.TrainingClasses.Should().Equal(0, 1, 2);
    }

    [Fact]
    public void Knn_OptionsOutOfRange_ThrowNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var trainers = ml.MulticlassClassification.Trainers;
        FluentActions.Invoking(() => trainers.Knn(numberOfNeighbors: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("NumberOfNeighbors");
        FluentActions.Invoking(() => trainers.Knn(distance: (KnnDistance)42)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Distance");
        FluentActions.Invoking(() => trainers.Knn(new KnnTrainer.Options { NumberOfThreads = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("NumberOfThreads");
        FluentActions.Invoking(() => trainers.Knn(new KnnTrainer.Options { Weighting = (KnnWeighting)9 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Weighting");
    }

    private static IDataView Data(MLContext ml, int rows, int seed) => SyntheticData.Keyed(ml, SyntheticData.Rows(rows, Dimension, seed), Dimension);

    private static SchemaDefinition FeatureSchema()
    {
        var schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        return schema;
    }

    private static IDataView SplitFeatures(MLContext ml, LabelledRow[] rows)
        => ml.Data.LoadFromEnumerable(rows.Select(r => new ThreeFeatures { Label = r.Label, A = r.Features[0], B = r.Features[1], C = r.Features[2] }));

    private sealed class ThreeFeatures
    {
        public string Label { get; set; } = string.Empty;

        public float A { get; set; }

        public float B { get; set; }

        public float C { get; set; }
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = string.Empty;

        public float[] Score { get; set; } = [];
    }
}
