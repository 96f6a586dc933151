using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Tests.Pipeline;

/// <summary>
/// Memory follows the row size, not a fixed row count: a <c>PredictionEngine</c> allocates about one row per
/// prediction, and a cursor's block holds as many rows as the 64 MiB budget allows (at least one). Before, blocks were
/// a fixed 256 or 1,024 rows times the row size: one 640 × 480 photo made HoG allocate 1,087 MB and a 150,528-feature
/// kNN PredictionEngine 593 MB per prediction. Allocations are counted on every thread (the shared workers' too), so
/// these tests run alone (the serial collection): another test's allocations would count otherwise.
/// </summary>
[Collection(ProcessThreadsCollection.Name)]
public sealed class BlockMemoryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void KnnPredictionEngine_150528Features_AllocatesAboutOneRowPerPrediction()
    {
        const int features = 224 * 224 * 3;
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 12).Select(i => new WideRow { Label = i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c", Features = Enumerable.Range(0, features).Select(_ => (float)random.Next(256)).ToArray() }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows, Schema(features));
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3, distance: KnnDistance.L2))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        long start = GC.GetTotalAllocatedBytes(precise: true);
        var engine = ml.Model.CreatePredictionEngine<WideRow, Prediction>(model, inputSchemaDefinition: Schema(features));
        engine.Predict(rows[0]);
        long first = GC.GetTotalAllocatedBytes(precise: true) - start;
        output.WriteLine($"creating the engine and its first prediction: {first:N0} bytes allocated");
        first.Should().BeLessThan(16L * features * sizeof(float), "the engine holds buffers for one row, not a 1,024-row block");

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var prediction = engine.Predict(rows[5]);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"one prediction, {features:N0} features ({4L * features:N0} bytes a row): {allocated:N0} bytes allocated");

        prediction.PredictedLabel.Should().Be("c", "rows 2, 5, 8 and 11 are class c, and row 5 is its own nearest neighbour");
        allocated.Should().BeLessThan(4L * features * sizeof(float), "one prediction copies its row a small number of times, never a block of them");
    }

    [Fact]
    public void HogTransform_One640x480Image_AllocatesAFewImagesWorth()
    {
        const int height = 480;
        const int width = 640;
        var ml = new MLContext(seed: 1);
        var random = new Random(2);
        var pixels = new byte[height * width * 3];
        random.NextBytes(pixels);
        var data = ml.Data.LoadFromEnumerable(new[] { new PhotoRow { Pixels = pixels } }, PhotoSchema(height * width * 3));
        var hog = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", ImageHeight = height, ImageWidth = width }).Fit(data);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var features = hog.Transform(data).GetColumn<VBuffer<float>>("Hog").Single();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"HoG Transform of one {width} × {height} image: {allocated:N0} bytes allocated");

        features.Length.Should().BeGreaterThan(0);
        long imageBytes = (long)height * width * 3;
        long expected = (2 * imageBytes) + (2L * 4 * features.Length) + HogDescriptor.StripBudgetBytes + (1L << 20);
        allocated.Should().BeLessThan(expected, "the getter's copy of the input, the stored image, the features twice, one strip's scratch and the cell histograms: not a 256-row block (1,087 MB before)");
    }

    [Fact]
    public void HogTransform_ASecondCall_ReusesTheBlockAndItsScratch()
    {
        const int height = 1080;
        const int width = 1920;
        var ml = new MLContext(seed: 1);
        var pixels = new byte[height * width * 3];
        new Random(4).NextBytes(pixels);
        var data = ml.Data.LoadFromEnumerable(new[] { new PhotoRow { Pixels = pixels } }, PhotoSchema(pixels.Length));
        var hog = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", ImageHeight = height, ImageWidth = width, Voting = HogVoting.Trilinear }).Fit(data);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var first = hog.Transform(data).GetColumn<VBuffer<float>>("Hog").Single().GetValues().ToArray();
        long firstCall = GC.GetTotalAllocatedBytes(precise: true) - before;
        before = GC.GetTotalAllocatedBytes(precise: true);
        var second = hog.Transform(data).GetColumn<VBuffer<float>>("Hog").Single().GetValues().ToArray();
        long secondCall = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"HoG Transform of one {width} × {height} image: first call {firstCall:N0} bytes allocated, second {secondCall:N0}");

        second.Should().Equal(first);
        long featureBytes = 4L * first.Length;
        // What the second call still allocates: the features GetColumn returns and the array ToArray makes of them. No
        // input vector buffer, stored image, feature block or strip scratch of ours: the spare block and its reader.
        secondCall.Should().BeLessThan((2 * featureBytes) + (1L << 20), "the block of the first call's disposed cursor, and its reader's buffer, are reused");
        firstCall.Should().BeGreaterThan(secondCall + pixels.Length, "the first call allocated the stored image, the features and the scratch");
    }

    [Fact]
    public void ACursorDisposedTwice_NeverGivesItsBlockToTwoCursors()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(5);
        var images = Enumerable.Range(0, 3).Select(_ => { var p = new byte[32 * 32 * 3]; random.NextBytes(p); return new PhotoRow { Pixels = p }; }).ToArray();
        var data = ml.Data.LoadFromEnumerable(images, PhotoSchema(32 * 32 * 3));
        var transformed = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", ImageHeight = 32, ImageWidth = 32 }).Fit(data).Transform(data);
        var expected = transformed.GetColumn<VBuffer<float>>("Hog").Select(v => v.DenseValues().ToArray()).ToArray();

        var once = transformed.GetRowCursor(transformed.Schema);
        once.MoveNext().Should().BeTrue();
        once.Dispose();
        once.Dispose();

        using var a = transformed.GetRowCursor([transformed.Schema["Hog"]]);
        using var b = transformed.GetRowCursor([transformed.Schema["Hog"]]);
        var getA = a.GetGetter<VBuffer<float>>(transformed.Schema["Hog"]);
        var getB = b.GetGetter<VBuffer<float>>(transformed.Schema["Hog"]);
        VBuffer<float> va = default, vb = default;
        a.MoveNext().Should().BeTrue();
        b.MoveNext().Should().BeTrue();
        b.MoveNext().Should().BeTrue();
        getA(ref va);
        getB(ref vb);
        va.DenseValues().Should().Equal(expected[0], "cursor a reads row 0 from its own block");
        vb.DenseValues().Should().Equal(expected[1], "cursor b reads row 1 from its own block");
    }

    [Theory]
    [InlineData(4096, false)]
    [InlineData(8192, false)]
    [InlineData(8192, true)]
    public void Featurizers_OneLargeImage_ScratchAtMostTwiceTheImage(int side, bool histogram)
    {
        var ml = new MLContext(seed: 1);
        var pixels = new byte[side * side * 3];
        new Random(3).NextBytes(pixels);
        var data = ml.Data.LoadFromEnumerable(new[] { new PhotoRow { Pixels = pixels } }, PhotoSchema(side * side * 3));
        ITransformer featurizer = histogram
            ? ml.Transforms.ExtractColorHistogram(new ColorHistogramEstimator.Options { OutputColumnName = "Features", InputColumnName = "Pixels", ImageHeight = side, ImageWidth = side }).Fit(data)
            : ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Features", InputColumnName = "Pixels", ImageHeight = side, ImageWidth = side }).Fit(data);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var features = featurizer.Transform(data).GetColumn<VBuffer<float>>("Features").Single();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        long imageBytes = pixels.Length;
        long featureBytes = 4L * features.Length;
        // What is not scratch: the enumerable's getter copies the input vector once (ML.NET), and the features exist
        // twice (our block, and the VBuffer our getter fills for GetColumn). Scratch is then our stored copy of the
        // image (1×), the cell histograms and one strip.
        long scratch = allocated - imageBytes - (2 * featureBytes);
        output.WriteLine($"{(histogram ? "colour histogram" : "HoG")} Transform of one {side} × {side} image ({imageBytes:N0} bytes): {allocated:N0} bytes allocated, {featureBytes:N0} bytes of features, scratch {scratch:N0} bytes = {(double)scratch / imageBytes:F2}× the image");

        if (!histogram)
        {
            features.Length.Should().Be(((side / 8) - 1) * ((side / 8) - 1) * 36, "(side / 8 − 1)² blocks of 2 × 2 cells × 9 orientations");
        }

        features.DenseValues().Should().OnlyContain(v => float.IsFinite(v));
        features.DenseValues().Should().Contain(v => v > 0);
        scratch.Should().BeLessThan(2 * imageBytes, "the image is kept as bytes and widened a strip of rows at a time (13× at 4096² before)");
    }

    [Fact]
    public void BlockRows_FollowTheRowSize()
    {
        var ml = new MLContext(seed: 1);
        var small = ml.Data.LoadFromEnumerable(new[] { new PhotoRow { Pixels = new byte[32 * 32 * 3] } }, PhotoSchema(32 * 32 * 3));
        var large = ml.Data.LoadFromEnumerable(new[] { new PhotoRow { Pixels = new byte[480 * 640 * 3] } }, PhotoSchema(480 * 640 * 3));

        BlockRows(ml, small, 32, 32).Should().Be(256, "CIFAR-sized images keep the largest blocks");
        BlockRows(ml, large, 480, 640).Should().Be(42, "64 MiB / (921,600 pixel bytes + 4 bytes × 168,372 features)");
    }

    private static int BlockRows(MLContext ml, IDataView data, int height, int width)
    {
        var transformer = (RowMappingTransformer)ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", ImageHeight = height, ImageWidth = width }).Fit(data);
        return transformer.Mapping(data.Schema).BlockRows;
    }

    private static SchemaDefinition Schema(int features)
    {
        var schema = SchemaDefinition.Create(typeof(WideRow));
        schema[nameof(WideRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return schema;
    }

    private static SchemaDefinition PhotoSchema(int length)
    {
        var schema = SchemaDefinition.Create(typeof(PhotoRow));
        schema[nameof(PhotoRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, length);
        return schema;
    }

    public sealed class WideRow
    {
        public string Label { get; set; } = string.Empty;

        public float[] Features { get; set; } = [];
    }

    public sealed class Prediction
    {
        public string PredictedLabel { get; set; } = string.Empty;
    }

    public sealed class PhotoRow
    {
        public byte[] Pixels { get; set; } = [];
    }
}
