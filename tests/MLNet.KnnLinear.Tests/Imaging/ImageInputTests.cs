using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNet.KnnLinear.Tests.Conformance;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>The featurizers' inputs: image columns, byte and Single vectors, planar and interleaved, and their errors.</summary>
public sealed class ImageInputTests
{
    private const int Size = 16;

    [Fact]
    public void Hog_ImageColumn_EqualsThePixelVectorItWasMadeFrom()
    {
        var ml = new MLContext(1);
        var data = ImageFeaturizerBadInputs.Data(ml, Size, rows: 12);
        var fromPixels = Hog(ml, data, "Pixels");

        var images = ml.Transforms.ConvertToImage(Size, Size, "Image", "Pixels").Fit(data).Transform(data);
        images.Schema["Image"].Type.Should().BeOfType<ImageDataViewType>();
        var fromImages = Hog(ml, images, "Image");

        fromImages.Should().HaveCount(12);
        for (int i = 0; i < fromImages.Count; i++)
        {
            fromImages[i].Should().Equal(fromPixels[i]);
        }
    }

    [Fact]
    public void Hog_InterleavedAndSinglePixels_EqualPlanarBytes()
    {
        var ml = new MLContext(1);
        var rows = ImageData.Rows(5, Size, Size, seed: 3);
        var planar = Hog(ml, ImageData.ToDataView(ml, rows, 3 * Size * Size), "Pixels");

        var interleaved = rows.Select(r => new PixelRow { Label = r.Label, Pixels = Interleave(r.Pixels) }).ToArray();
        var fromInterleaved = Hog(ml, ImageData.ToDataView(ml, interleaved, 3 * Size * Size), "Pixels", PixelLayout.Interleaved);
        var singles = ml.Transforms.Conversion.ConvertType("Pixels", outputKind: DataKind.Single).Fit(ImageData.ToDataView(ml, rows, 3 * Size * Size));
        var fromSingles = Hog(ml, singles.Transform(ImageData.ToDataView(ml, rows, 3 * Size * Size)), "Pixels");

        for (int i = 0; i < planar.Count; i++)
        {
            fromInterleaved[i].Should().Equal(planar[i]);
            fromSingles[i].Should().Equal(planar[i]);
        }
    }

    [Fact]
    public void Hog_VectorWithoutSize_IsReadAsASquareImage()
    {
        var ml = new MLContext(1);
        var data = ImageFeaturizerBadInputs.Data(ml, Size);

        var output = ml.Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 4).Fit(data).Transform(data);

        output.Schema["Hog"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3 * 3 * 2 * 2 * 9));
    }

    [Fact]
    public void Hog_VectorOfNoSquareLength_AsksForTheSize()
    {
        var ml = new MLContext(1);
        var data = ImageData.ToDataView(ml, [new PixelRow { Pixels = new byte[3 * 10 * 12] }], 3 * 10 * 12);

        var act = () => ml.Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 4).Fit(data);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Pixels'*360 values*square*ImageHeight*");
        ml.Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 4, imageHeight: 10).Fit(data).Transform(data)
            .Schema["Hog"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 1 * 2 * 2 * 2 * 9));
    }

    [Fact]
    public void Hog_ImagesOfVaryingSize_FailWhileReadingWithBothSizes()
    {
        var ml = new MLContext(1);
        var data = LoadedImages(ml, (16, 16), (24, 16));
        var transformer = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Image", ImageHeight = 16, ImageWidth = 16 }).Fit(data);

        var act = () => ml.Data.CreateEnumerable<HogRow>(transformer.Transform(data), reuseRowObject: false).ToList();

        act.Should().Throw<InvalidOperationException>().WithMessage("*'Image'*24 × 16*16 × 16*ResizeImages*");
    }

    [Fact]
    public void Hog_ImageColumnOfUnknownSizeWithoutOptions_AsksForTheSize()
    {
        var ml = new MLContext(1);
        var data = LoadedImages(ml, (16, 16));

        var act = () => ml.Transforms.ExtractHogFeatures("Hog", "Image").Fit(data);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Image'*no fixed size*ImageHeight*ResizeImages*");
    }

    [Fact]
    public void Hog_ReadsImagesWithoutDisposingThem()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 3).Select(_ => new ImageRow { Image = Image(16, 16) }).ToArray();
        var data = Images(ml, rows);
        var transformer = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Image", ImageHeight = 16, ImageWidth = 16 }).Fit(data);

        ml.Data.CreateEnumerable<HogRow>(transformer.Transform(data), reuseRowObject: false).Should().HaveCount(3);

        foreach (var row in rows)
        {
            row.Image.Pixels.Length.Should().Be(16 * 16 * 4, "the upstream images must still be usable");
        }
    }

    [Fact]
    public void ColorHistogram_HueNeedsNoThreeChannelsFromAGreyVector()
    {
        var ml = new MLContext(1);
        var data = ImageData.ToDataView(ml, [new PixelRow { Pixels = Enumerable.Range(0, 16).Select(i => (byte)(i * 16)).ToArray() }], 16);

        var output = ml.Transforms.ExtractColorHistogram(new ColorHistogramEstimator.Options { OutputColumnName = "Hist", InputColumnName = "Pixels", VectorChannels = 1, Channels = ColorHistogramChannels.Hue | ColorHistogramChannels.Value, BinsPerChannel = 4 })
            .Fit(data).Transform(data);

        var values = output.GetColumn<VBuffer<float>>("Hist").Single().DenseValues().ToArray();
        values.Should().Equal(1f, 0f, 0f, 0f, 0.25f, 0.25f, 0.25f, 0.25f);
    }

    public static TheoryData<string, Action> BadOptions => new()
    {
        { "Orientations", () => new MLContext().Transforms.ExtractHogFeatures("Hog", "Pixels", orientations: 0) },
        { "CellHeight", () => new MLContext().Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 0) },
        { "BlockHeight", () => new MLContext().Transforms.ExtractHogFeatures("Hog", "Pixels", blockSize: -1) },
        { "BlockStride", () => new MLContext().Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { BlockStride = 0 }) },
        { "BlockWidth", () => new MLContext().Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { ImageWidth = 12, ImageHeight = 32 }) },
        { "ImageHeight", () => new MLContext().Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { ImageHeight = -4 }) },
        { "VectorChannels", () => new MLContext().Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { VectorChannels = 2 }) },
        { "BlockNormalization", () => new MLContext().Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { BlockNormalization = (HogBlockNormalization)9 }) },
        { "NumberOfThreads", () => new MLContext().Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { NumberOfThreads = 0 }) },
        { "OutputColumnName", () => new MLContext().Transforms.ExtractHogFeatures(" ") },
        { "BinsPerChannel", () => new MLContext().Transforms.ExtractColorHistogram("Hist", "Pixels", binsPerChannel: 0) },
        { "Channels", () => new MLContext().Transforms.ExtractColorHistogram("Hist", "Pixels", channels: ColorHistogramChannels.None) },
        { "MaxPixelValue", () => new MLContext().Transforms.ExtractColorHistogram(new ColorHistogramEstimator.Options { MaxPixelValue = 0 }) },
        { "BinsPerChannel", () => new MLContext().Transforms.ExtractColorHistogram("Hist", "Pixels", ColorHistogramChannels.Rgb | ColorHistogramChannels.Hue, 100, joint: true) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Options_OutOfRange_ThrowNamingTheOption(string option, Action create)
    {
        create.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(option);
    }

    [Fact]
    public void TwoFeaturizersOverLoadedImages_ResizedToTheirOwnSize_Cached_EachSeesEveryImage()
    {
        // LoadImages → ResizeImages to the size the images have → HoG → colour histogram, cached as a user caches
        // features (every column, the images too, read through our block-reading cursors, split over threads by
        // NormalizeMeanVariance's fit and the cache). ML.NET's image getters
        // dispose the image they handed out when asked again, so images kept across a block came back disposed:
        // "Object is disposed" (found by the image-folder example).
        var ml = new MLContext(1);
        var sizes = Enumerable.Repeat((Size, Size), 300).ToArray();
        var loaded = LoadedImages(ml, sizes, distinct: true);
        var featurizer = ml.Transforms.ResizeImages("Resized", Size, Size, "Image")
            .Append(ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Resized", CellHeight = 4, CellWidth = 4 }))
            .Append(ml.Transforms.ExtractColorHistogram("Hue", "Resized"))
            .Append(ml.Transforms.Concatenate("Features", "Hog", "Hue"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"));
        var cached = ml.Data.Cache(featurizer.Fit(loaded).Transform(loaded));
        cached.GetColumn<VBuffer<float>>("Features").Count().Should().Be(300);

        var hue = cached.GetColumn<VBuffer<float>>("Hue").Select(v => v.DenseValues().ToArray()).ToList();
        var alone = ml.Transforms.ResizeImages("Resized", Size, Size, "Image").Append(ml.Transforms.ExtractColorHistogram("Hue", "Resized")).Fit(loaded).Transform(loaded)
            .GetColumn<VBuffer<float>>("Hue").Select(v => v.DenseValues().ToArray()).ToList();
        hue.Should().HaveCount(300);
        for (int i = 0; i < hue.Count; i++)
        {
            hue[i].Should().Equal(alone[i], $"row {i}: the histogram of its own image");
        }

        hue.Select(h => string.Join(",", h)).Distinct().Count().Should().BeGreaterThan(1, "the images differ, so must their histograms");
    }

    private static List<float[]> Hog(MLContext ml, IDataView data, string column, PixelLayout layout = PixelLayout.Planar)
    {
        var options = new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = column, CellHeight = 4, CellWidth = 4, PixelLayout = layout };
        var output = ml.Transforms.ExtractHogFeatures(options).Fit(data).Transform(data);
        return output.GetColumn<VBuffer<float>>("Hog").Select(v => v.DenseValues().ToArray()).ToList();
    }

    private static byte[] Interleave(byte[] planar)
    {
        int plane = planar.Length / 3;
        var result = new byte[planar.Length];
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                result[(3 * i) + c] = planar[(c * plane) + i];
            }
        }

        return result;
    }

    /// <summary>An image column of 16 × 16 images we own.</summary>
    private static IDataView Images(MLContext ml, params ImageRow[] rows) => ml.Data.LoadFromEnumerable(rows);

    /// <summary>PNG files of the given (height, width) read by LoadImages: an image column of unknown size.</summary>
    private static IDataView LoadedImages(MLContext ml, params (int Height, int Width)[] sizes) => LoadedImages(ml, sizes, distinct: false);

    /// <summary>The same, each image black or (<paramref name="distinct"/>) of seeded random colours.</summary>
    private static IDataView LoadedImages(MLContext ml, (int Height, int Width)[] sizes, bool distinct)
    {
        string folder = RepoPaths.NewTempDirectory();
        var files = sizes.Select((size, i) =>
        {
            string name = $"image{i}.png";
            if (distinct)
            {
                // Saved by MLImage (RGBA), as a user's tool might: LoadImages then hands down the decoded image itself.
                var rgba = new byte[size.Height * size.Width * 4];
                new Random(i).NextBytes(rgba);
                using var image = MLImage.CreateFromPixels(size.Width, size.Height, MLPixelFormat.Rgba32, rgba);
                image.Save(Path.Combine(folder, name));
            }
            else
            {
                PngImage.Write(Path.Combine(folder, name), new byte[size.Height * size.Width * 3], size.Width, size.Height);
            }

            return new FileRow { Path = name };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(files);
        var images = ml.Transforms.LoadImages("Image", folder, "Path").Fit(data).Transform(data);
        images.Schema["Image"].Type.Should().BeOfType<ImageDataViewType>().Which.Height.Should().Be(0, "LoadImages does not know the size");
        return images;
    }

    private static MLImage Image(int height, int width)
    {
        var random = new Random(height * width);
        var bgra = new byte[height * width * 4];
        random.NextBytes(bgra);
        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bgra);
    }

    private sealed class FileRow
    {
        public string Path { get; set; } = string.Empty;
    }

    private sealed class ImageRow
    {
        [ImageType(16, 16)]
        public MLImage Image { get; set; } = null!;
    }

    private sealed class HogRow
    {
        public float[] Hog { get; set; } = [];
    }
}
