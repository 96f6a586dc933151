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
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip))
        {
            // Deliberately out of order: the loader must still read batches 1..5 in order.
            foreach (string name in new[] { "data_batch_3.bin", "batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin", "data_batch_5.bin", "data_batch_4.bin", "test_batch.bin" })
            {
                tar.WriteEntry(Path.Combine(dir, name), $"cifar-10-batches-bin/{name}");
            }
        }

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
        var data = ml.Data.LoadFromCifar10(dir);

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

    private sealed class PixelRow
    {
        [VectorType(3072)]
        public byte[] Pixels { get; set; } = [];
    }
}
