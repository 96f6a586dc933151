using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Pipeline;

/// <summary>
/// Each batched step computes each row once. The pipeline LoadFromCifar10 → HoG + hue histogram of the pixels →
/// Concatenate → kNN (or the linear classifier) reads each image's pixels exactly twice per row it scores (once for
/// HoG, once for the histogram), through Transform, CrossValidate and PredictionEngine. Before, a batched step's
/// main cursor also activated its inputs and its read-ahead cursor computed them again, so upstream HoG ran twice.
/// </summary>
public sealed class ComputeOnceTests
{
    private const int FeaturizersReadingPixels = 2;

    public static TheoryData<string> Trainers() => new() { "knn", "linear" };

    [SkippableTheory]
    [MemberData(nameof(Trainers))]
    public void Pipeline_Transform_ReadsEachImageOncePerFeaturizer(string trainer)
    {
        var ml = new MLContext(seed: 1);
        var model = Pipeline(ml, trainer).Fit(ml.Data.TakeRows(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train), 600));
        var test = new ReadCountingDataView(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test), "Pixels");

        var predicted = model.Transform(test).GetColumn<uint>("PredictedLabel").ToList();

        predicted.Should().HaveCount(1017);
        test.Reads.Should().HaveCount(1017, "every test row is read");
        test.Reads.Values.Should().OnlyContain(n => n == FeaturizersReadingPixels, "HoG and the histogram each read a row's pixels once");
    }

    [SkippableTheory]
    [MemberData(nameof(Trainers))]
    public void Pipeline_CrossValidate_ReadsEachImageOncePerFeaturizerPerFold(string trainer)
    {
        var ml = new MLContext(seed: 1);
        var data = new ReadCountingDataView(ml.Data.TakeRows(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train), 600), "Pixels");

        var folds = ml.MulticlassClassification.CrossValidate(data, Pipeline(ml, trainer), numberOfFolds: 3);

        folds.Should().HaveCount(3);
        data.Reads.Should().HaveCount(600);
        data.Reads.Values.Should().OnlyContain(n => n == 3 * FeaturizersReadingPixels, "in each of the 3 folds a row is fitted on or scored, each reading its pixels once per featurizer");
    }

    [SkippableTheory]
    [MemberData(nameof(Trainers))]
    public void Pipeline_PredictionEngine_ReadsEachImageOncePerFeaturizer(string trainer)
    {
        var ml = new MLContext(seed: 1);
        var model = Pipeline(ml, trainer).Fit(ml.Data.TakeRows(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train), 600));
        var schema = SchemaDefinition.Create(typeof(CountingImage));
        schema[nameof(CountingImage.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, 3072);
        var engine = ml.Model.CreatePredictionEngine<CountingImage, Prediction>(model, inputSchemaDefinition: schema);
        var pixels = new byte[3072];
        var image = new CountingImage { Pixels = pixels };

        for (int i = 0; i < 5; i++)
        {
            pixels[i] = (byte)(17 * i); // through the array, not the counting property
            engine.Predict(image);
        }

        image.Reads.Should().Be(5 * FeaturizersReadingPixels);
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, string trainer)
    {
        var features = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", VectorChannels = 3 })
            .Append(ml.Transforms.ExtractColorHistogram(new ColorHistogramEstimator.Options { OutputColumnName = "Hue", InputColumnName = "Pixels", VectorChannels = 3 }))
            .Append(ml.Transforms.Concatenate("Features", "Hog", "Hue"));
        return trainer == "knn"
            ? features.Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 5))
            : features.Append(ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = LinearLoss.Softmax, Lambda = 1e-3, NumberOfThreads = 1 }));
    }

    public sealed class CountingImage
    {
        private byte[] _pixels = [];

        public int Reads { get; private set; }

        public byte[] Pixels
        {
            get
            {
                Reads++;
                return _pixels;
            }

            set => _pixels = value;
        }

        public uint Label { get; set; }
    }

    public sealed class Prediction
    {
        public uint PredictedLabel { get; set; }
    }
}
