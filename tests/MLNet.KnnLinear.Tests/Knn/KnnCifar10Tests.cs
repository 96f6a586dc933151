using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Knn;

/// <summary>
/// Accuracy on real CIFAR-10 images against figures that faiss and scikit-learn give on the same split: train =
/// the first 5,000 records of data_batch_1..5 read in that order, test = the first 500 of test_batch, raw pixel bytes
/// as float features, k = 1.
/// </summary>
public sealed class KnnCifar10Tests
{
    [SkippableTheory]
    [InlineData(KnnDistance.L2, 0.2560)]
    [InlineData(KnnDistance.L1, 0.2660)]
    public void Knn_Cifar10RawPixels_MatchesFaissAndScikitLearnAccuracy(KnnDistance distance, double expectedAccuracy)
    {
        var batches = new[] { "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin" };
        var (trainPixels, trainLabels) = Cifar10Data.Read(5000, batches);
        var (testPixels, testLabels) = Cifar10Data.Read(500, "test_batch.bin");
        var ml = new MLContext(seed: 1);

        var trainer = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 1, distance: distance);
        var model = trainer.Fit(ToDataView(ml, trainPixels, trainLabels));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ToDataView(ml, testPixels, testLabels)));

        trainLabels.Should().HaveCount(5000);
        testLabels.Should().HaveCount(500);
        metrics.MicroAccuracy.Should().BeApproximately(expectedAccuracy, 1e-9);
    }

    private static IDataView ToDataView(MLContext ml, float[] pixels, int[] labels)
    {
        var rows = labels.Select((label, i) => new CifarRow { Label = (uint)label, Features = pixels.AsSpan(i * 3072, 3072).ToArray() });
        var schema = SchemaDefinition.Create(typeof(CifarRow));
        schema[nameof(CifarRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3072);
        var data = ml.Data.LoadFromEnumerable(rows, schema);

        // Keys in class order 0..9, whatever order the labels first appear in.
        var classes = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(c => new CifarRow { Label = (uint)c }));
        return ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Transforms.SelectColumns("Label").Fit(classes).Transform(classes)).Fit(data).Transform(data);
    }

    private sealed class CifarRow
    {
        public uint Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
