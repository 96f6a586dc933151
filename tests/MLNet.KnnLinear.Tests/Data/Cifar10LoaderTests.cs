using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Data;

public sealed class Cifar10LoaderTests
{
    [SkippableFact]
    public void LoadFromCifar10_SharedFolder_OfficialFirstLabelsCountsAndClassNames()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train);
        var test = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test);

        train.GetRowCount().Should().Be(8068);
        test.GetRowCount().Should().Be(1017);
        Labels(train).Take(10).Should().Equal(6, 9, 9, 4, 1, 1, 2, 7, 8, 3);
        Labels(test).Take(10).Should().Equal(3, 8, 8, 0, 6, 6, 1, 6, 3, 1);
        ClassNames(train).Should().Equal("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    }

    [Fact]
    public void LoadFromCifar10_WrittenBatchesWithPartialLastBatch_ReadsEveryRecordInOrder()
    {
        string dir = WriteFolder(recordsPerBatch: [3, 2, 1, 1, 4], testRecords: 2);
        var ml = new MLContext(seed: 1);

        var train = ml.Data.LoadFromCifar10(dir);

        train.GetRowCount().Should().Be(11);
        Labels(train).Should().Equal(Enumerable.Range(0, 11).Select(i => i % 10));
        var pixels = ml.Data.CreateEnumerable<PixelRow>(train, reuseRowObject: false).ToList();
        pixels[4].Pixels.Should().Equal(RecordPixels(4), "record 4 is the second record of data_batch_2");
        Labels(ml.Data.LoadFromCifar10(dir, Cifar10Split.Test)).Should().Equal(0, 1);
        Labels(ml.Data.LoadFromCifar10(Path.Combine(dir, "data_batch_5.bin"))).Should().HaveCount(4);
    }

    [Fact]
    public void LoadFromCifar10_TarGz_SameRowsAsTheFolder()
    {
        string dir = WriteFolder(recordsPerBatch: [2, 2, 2, 2, 2], testRecords: 3);
        string archive = Path.Combine(RepoPaths.NewTempDirectory(), "cifar-10-binary.tar.gz");

        // Deliberately out of order: the loader must still read batches 1..5 in order.
        WriteArchive(archive, dir, "data_batch_3.bin", "batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin", "data_batch_5.bin", "data_batch_4.bin", "test_batch.bin");

        var ml = new MLContext(seed: 1);
        var fromArchive = ml.Data.LoadFromCifar10(archive);
        var fromFolder = ml.Data.LoadFromCifar10(dir);

        Labels(fromArchive).Should().Equal(Labels(fromFolder));
        ml.Data.CreateEnumerable<PixelRow>(fromArchive, false).Select(r => Convert.ToHexString(r.Pixels))
            .Should().Equal(ml.Data.CreateEnumerable<PixelRow>(fromFolder, false).Select(r => Convert.ToHexString(r.Pixels)));
        ClassNames(fromArchive).Should().Equal(Enumerable.Range(0, 10).Select(i => $"class{i}"));
        Labels(ml.Data.LoadFromCifar10(archive, Cifar10Split.Test)).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void LoadFromCifar10_ImageColumn_SamePixelsAsExtractPixels()
    {
        string dir = WriteFolder(recordsPerBatch: [3, 0, 0, 0, 0], testRecords: 1);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromCifar10(Path.Combine(dir, "data_batch_1.bin"));

        // ExtractPixels' default output is planar R, G, B, unscaled: exactly the record's bytes.
        var extracted = ml.Transforms.ExtractPixels("Extracted", "Image").Fit(data).Transform(data);
        var rows = ml.Data.CreateEnumerable<ExtractedRow>(extracted, reuseRowObject: false).ToList();

        rows.Should().HaveCount(3);
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i].Extracted.Should().Equal(RecordPixels(i).Select(b => (float)b), $"record {i}");
        }
    }

    [Fact]
    public void LoadFromCifar10_CursorSet_EveryRowExactlyOnce()
    {
        string dir = WriteFolder(recordsPerBatch: [5, 5, 5, 5, 5], testRecords: 1);
        var view = new MLContext().Data.LoadFromCifar10(dir);
        var ids = new List<ulong>();
        foreach (var cursor in view.GetRowCursorSet(view.Schema, 3))
        {
            var id = cursor.GetIdGetter();
            DataViewRowId value = default;
            while (cursor.MoveNext())
            {
                id(ref value);
                ids.Add(value.Low);
            }

            cursor.Dispose();
        }

        ids.Order().Should().Equal(Enumerable.Range(0, 25).Select(i => (ulong)i));
    }

    [Fact]
    public void LoadFromCifar10_BadFiles_ClearErrorsNamingFileAndOffset()
    {
        var ml = new MLContext();
        string dir = WriteFolder(recordsPerBatch: [2, 1, 1, 1, 1], testRecords: 1);
        string truncated = Path.Combine(dir, "data_batch_2.bin");
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..100]);
        FluentActions.Invoking(() => ml.Data.LoadFromCifar10(dir)).Should().Throw<InvalidDataException>().WithMessage("*data_batch_2.bin*100 bytes*3073*");

        string badLabel = Path.Combine(RepoPaths.NewTempDirectory(), "bad.bin");
        var bytes = new byte[2 * 3073];
        bytes[3073] = 12;
        File.WriteAllBytes(badLabel, bytes);
        FluentActions.Invoking(() => Labels(ml.Data.LoadFromCifar10(badLabel))).Should().Throw<InvalidDataException>().WithMessage("*bad.bin*label byte 12 at offset 3073*");

        string damaged = Path.Combine(RepoPaths.NewTempDirectory(), "cifar-10-binary.tar.gz");
        File.WriteAllBytes(damaged, [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5]);
        FluentActions.Invoking(() => Labels(ml.Data.LoadFromCifar10(damaged))).Should().Throw<InvalidDataException>().WithMessage("*cifar-10-binary.tar.gz*");

        FluentActions.Invoking(() => ml.Data.LoadFromCifar10(Path.Combine(dir, "missing"))).Should().Throw<FileNotFoundException>().WithMessage("*cifar-10-batches-bin*");
    }

    [Fact]
    public void LoadFromCifar10_TarGzWithOneFlippedBit_ThrowsNamingTheFileOrReadsIdenticalRecords()
    {
        string dir = WriteFolder(recordsPerBatch: [2, 2, 2, 2, 2], testRecords: 2);
        string archive = Path.Combine(RepoPaths.NewTempDirectory(), "cifar-10-binary.tar.gz");
        WriteArchive(archive, dir, "batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin");
        byte[] original = File.ReadAllBytes(archive);
        var ml = new MLContext(seed: 1);
        string expected = Records(ml.Data.LoadFromCifar10(archive));
        int errors = 0;

        // 30 positions spread over the whole file: gzip header, compressed data, and the CRC-32/length trailer.
        foreach (int position in Enumerable.Range(0, 30).Select(i => (int)((long)i * (original.Length - 1) / 29)))
        {
            byte[] damaged = (byte[])original.Clone();
            damaged[position] ^= (byte)(1 << (position % 8));
            string path = Path.Combine(RepoPaths.NewTempDirectory(), "cifar-10-binary.tar.gz");
            File.WriteAllBytes(path, damaged);
            try
            {
                Records(ml.Data.LoadFromCifar10(path)).Should().Be(expected, $"a bit flipped at byte {position} of {original.Length} must fail or change nothing");
            }
            catch (InvalidDataException e)
            {
                e.Message.Should().Contain(path, "the error names the file");
                errors++;
            }
        }

        errors.Should().BeGreaterThan(20, "a flipped bit in the compressed data or the trailer fails the gzip check");
    }

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(0.95, 0)]
    [InlineData(1.0, 10)]
    public void LoadFromCifar10_TruncatedTarGz_ThrowsInvalidDataNamingTheFile(double keep, int cut)
    {
        string dir = WriteFolder(recordsPerBatch: [40, 40, 40, 40, 40], testRecords: 40);
        string archive = Path.Combine(RepoPaths.NewTempDirectory(), "cifar-10-binary.tar.gz");
        WriteArchive(archive, dir, "batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin");
        byte[] original = File.ReadAllBytes(archive);
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "cifar-10-binary.tar.gz");
        File.WriteAllBytes(path, original[..((int)(original.Length * keep) - cut)]);
        var ml = new MLContext(seed: 1);

        foreach (var split in new[] { Cifar10Split.Train, Cifar10Split.Test })
        {
            FluentActions.Invoking(() => Records(ml.Data.LoadFromCifar10(path, split)))
                .Should().Throw<InvalidDataException>($"{original.Length - ((int)(original.Length * keep) - cut)} bytes cut off, {split}").WithMessage($"*{path}*");
        }
    }

    [Fact]
    public void LoadFromCifar10_ThroughParallelTransforms_RowsStayInFileOrder()
    {
        // ML.NET evaluates row mappers on a cursor set and puts the rows back together by each cursor's Batch.
        string dir = WriteFolder(recordsPerBatch: [60, 60, 60, 60, 60], testRecords: 1);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromCifar10(dir);
        var pipeline = ml.Transforms.Conversion.MapKeyToValue("LabelText", "Label").Append(ml.Transforms.Conversion.ConvertType("Features", "Pixels", DataKind.Single));
        var transformed = pipeline.Fit(data).Transform(data);
        var expected = Enumerable.Range(0, 300).Select(i => $"class{i % 10}").ToArray();

        for (int run = 0; run < 5; run++)
        {
            transformed.GetColumn<ReadOnlyMemory<char>>("LabelText").Select(t => t.ToString()).Should().Equal(expected, $"run {run}");
        }
    }

    [Fact]
    public void LoadFromCifar10_UndefinedSplit_Throws()
    {
        string dir = WriteFolder(recordsPerBatch: [1, 1, 1, 1, 1], testRecords: 1);
        FluentActions.Invoking(() => new MLContext().Data.LoadFromCifar10(dir, (Cifar10Split)7))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*split*Train*Test*");
    }

    [Fact]
    public void LoadFromCifar10_FolderMissingBatches_ThrowsNamingThem()
    {
        string dir = WriteFolder(recordsPerBatch: [1, 1, 1, 1, 1], testRecords: 1);
        foreach (int b in new[] { 2, 4, 5 })
        {
            File.Delete(Path.Combine(dir, $"data_batch_{b}.bin"));
        }

        FluentActions.Invoking(() => new MLContext().Data.LoadFromCifar10(dir))
            .Should().Throw<FileNotFoundException>().WithMessage("*Train batches missing*data_batch_2.bin, data_batch_4.bin, data_batch_5.bin*");
    }

    [Fact]
    public void LoadFromCifar10_TarGzWithoutBatches_SameErrorAsTheFolder()
    {
        string dir = WriteFolder(recordsPerBatch: [1, 1, 1, 1, 1], testRecords: 1);
        string archive = Path.Combine(RepoPaths.NewTempDirectory(), "cifar-10-binary.tar.gz");
        WriteArchive(archive, dir, "batches.meta.txt");
        string empty = RepoPaths.NewTempDirectory();

        var fromArchive = FluentActions.Invoking(() => new MLContext().Data.LoadFromCifar10(archive)).Should().Throw<FileNotFoundException>().Which;
        var fromFolder = FluentActions.Invoking(() => new MLContext().Data.LoadFromCifar10(empty)).Should().Throw<FileNotFoundException>().Which;

        fromArchive.Message.Replace(archive, "PATH").Should().Be(fromFolder.Message.Replace(empty, "PATH"));
        fromArchive.Message.Should().Contain("data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin");
    }

    [Fact]
    public void LoadFromCifar10_EmptyBatchFile_Throws()
    {
        string dir = WriteFolder(recordsPerBatch: [1, 1, 0, 1, 1], testRecords: 1);
        FluentActions.Invoking(() => new MLContext().Data.LoadFromCifar10(dir))
            .Should().Throw<InvalidDataException>().WithMessage("*data_batch_3.bin*empty*");
        FluentActions.Invoking(() => new MLContext().Data.LoadFromCifar10(Path.Combine(dir, "data_batch_3.bin")))
            .Should().Throw<InvalidDataException>().WithMessage("*data_batch_3.bin*empty*");
    }

    private static void WriteArchive(string archive, string dir, params string[] names)
    {
        using var file = File.Create(archive);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip);
        foreach (string name in names)
        {
            tar.WriteEntry(Path.Combine(dir, name), $"cifar-10-batches-bin/{name}");
        }
    }

    /// <summary>Every record's label and pixels, as one string.</summary>
    private static string Records(IDataView data)
        => string.Join(";", new MLContext().Data.CreateEnumerable<LabelledPixels>(data, reuseRowObject: false).Select(r => $"{r.Label}:{Convert.ToHexString(r.Pixels)}"));

    private static int[] Labels(IDataView data)
    {
        var labels = new List<int>();
        using var cursor = data.GetRowCursor([data.Schema["Label"]]);
        var getter = cursor.GetGetter<uint>(data.Schema["Label"]);
        uint key = 0;
        while (cursor.MoveNext())
        {
            getter(ref key);
            labels.Add((int)key - 1);
        }

        return [.. labels];
    }

    private static string[] ClassNames(IDataView data)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        data.Schema["Label"].GetKeyValues(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    /// <summary>A cifar-10-batches-bin folder in the official format; record i has label i % 10 and pixels from <see cref="RecordPixels"/>.</summary>
    private static string WriteFolder(int[] recordsPerBatch, int testRecords)
    {
        string dir = RepoPaths.NewTempDirectory();
        int record = 0;
        for (int b = 0; b < recordsPerBatch.Length; b++)
        {
            using var file = File.Create(Path.Combine(dir, $"data_batch_{b + 1}.bin"));
            for (int r = 0; r < recordsPerBatch[b]; r++, record++)
            {
                file.WriteByte((byte)(record % 10));
                file.Write(RecordPixels(record));
            }
        }

        using (var test = File.Create(Path.Combine(dir, "test_batch.bin")))
        {
            for (int r = 0; r < testRecords; r++)
            {
                test.WriteByte((byte)(r % 10));
                test.Write(RecordPixels(1000 + r));
            }
        }

        File.WriteAllLines(Path.Combine(dir, "batches.meta.txt"), Enumerable.Range(0, 10).Select(i => $"class{i}"));
        return dir;
    }

    private static byte[] RecordPixels(int record) => Enumerable.Range(0, 3072).Select(i => (byte)((i * 7) + (record * 13))).ToArray();

    private sealed class ExtractedRow
    {
        [VectorType(3072)]
        public float[] Extracted { get; set; } = [];
    }

    private sealed class LabelledPixels
    {
        public uint Label { get; set; }

        [VectorType(3072)]
        public byte[] Pixels { get; set; } = [];
    }

    private sealed class PixelRow
    {
        [VectorType(3072)]
        public byte[] Pixels { get; set; } = [];
    }
}
