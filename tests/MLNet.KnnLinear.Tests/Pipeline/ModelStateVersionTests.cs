using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Pipeline;

/// <summary>
/// State version 2 of the kNN and image-featurizer transformers no longer stores the training-time thread count (a
/// runtime setting, which a corrupt file could set to 2^31 − 1 and so allocate when prediction starts); version 1
/// files, which hold it, still load, with the stored count ignored.
/// </summary>
public sealed class ModelStateVersionTests
{
    [Fact]
    public void KnnState_Version1WithAnyThreadCount_LoadsAndPredictsAsVersion2()
    {
        var ml = new MLContext(seed: 1);
        // Rows with halves: an index of floats, the layout every version stores (version 4 stores pixel bytes as bytes).
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(80, 6, seed: 1, scale: 0.5f), 6);
        var test = SyntheticData.Keyed(ml, SyntheticData.Rows(30, 6, seed: 2, scale: 0.5f), 6);
        var model = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfThreads = 1 }).Fit(train);
        byte[] v2 = StateFieldSweep.Payload(model);

        // Version 1: the thread count followed the feature column name.
        byte[] v1 = Insert(v2, 4 + Encoding.UTF8.GetByteCount(model.FeatureColumnName), int.MaxValue);
        var loaded = Load<KnnPredictionTransformer>(v1, version: 1);

        Scores(loaded.Transform(test), "Score").Should().Equal(Scores(model.Transform(test), "Score"));
        FluentActions.Invoking(() => Load<KnnPredictionTransformer>(v1, version: 2)).Should().Throw<InvalidDataException>("version 2 has no thread count");
    }

    [Fact]
    public void HogState_Version1WithAnyThreadCount_LoadsAndComputesAsVersion2()
    {
        var ml = new MLContext(seed: 1);
        var data = ImageData.ToDataView(ml, ImageData.Rows(6, 16, 16, seed: 1), 16 * 16 * 3);
        var hog = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", CellHeight = 4, CellWidth = 4, NumberOfThreads = 1 }).Fit(data);
        byte[] v2 = StateFieldSweep.Payload(hog);

        // Version 1: input column name, height, width, channels, layout, output column name, then the thread count.
        int offset = 4 + Encoding.UTF8.GetByteCount("Pixels") + 16 + 4 + Encoding.UTF8.GetByteCount("Hog");
        var loaded = Load<HogFeaturesTransformer>(Insert(v2, offset, int.MaxValue), version: 1);

        Scores(loaded.Transform(data), "Hog").Should().Equal(Scores(hog.Transform(data), "Hog"));
    }

    private static T Load<T>(byte[] payload, int version)
        where T : class, IPersistentTransformer<T>
    {
        var file = new MemoryStream();
        ModelStateFormat.Write(file, T.Persistence.Kind, version, w => w.Write(payload));
        file.Position = 0;
        return ModelStateFormat.Read(file, T.Persistence.Kind, T.Persistence.Version, T.ReadState);
    }

    private static byte[] Insert(byte[] payload, int offset, int value)
        => [.. payload.AsSpan(0, offset), .. BitConverter.GetBytes(value), .. payload.AsSpan(offset)];

    private static List<string> Scores(IDataView data, string column)
        => data.GetColumn<VBuffer<float>>(column).Select(v => string.Join(",", v.DenseValues().Select(BitConverter.SingleToInt32Bits))).ToList();
}
