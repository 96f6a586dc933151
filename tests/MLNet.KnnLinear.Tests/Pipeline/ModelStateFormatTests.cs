using System.IO.Compression;
using Microsoft.ML;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Pipeline;

public sealed class ModelStateFormatTests
{
    [Fact]
    public void ModelStateFormat_RoundTrip_ReadsWhatWasWritten()
    {
        byte[] bytes = Write(w =>
        {
            w.Write(42);
            w.WriteUtf8("héllo");
            w.WriteArray<float>([1.5f, -2f]);
        });

        var (number, text, values) = Read(bytes, r => (r.ReadInt32("n"), r.ReadString("s"), r.ReadArray<float>(2, "v")));

        number.Should().Be(42);
        text.Should().Be("héllo");
        values.Should().Equal(1.5f, -2f);
    }

    [Fact]
    public void ModelStateFormat_EveryTruncation_ThrowsInvalidDataException()
    {
        byte[] bytes = Write(w => w.WriteArray<int>([1, 2, 3]));
        for (int length = 0; length < bytes.Length; length++)
        {
            var act = () => Read(bytes[..length], r => r.ReadArray<int>(3, "values"));
            act.Should().Throw<InvalidDataException>($"a state cut at {length} of {bytes.Length} bytes").WithMessage("*truncated*");
        }
    }

    [Fact]
    public void ModelStateFormat_FlippedPayloadBit_FailsChecksum()
    {
        byte[] bytes = Write(w => w.WriteArray<int>([1, 2, 3]));
        bytes[^6] ^= 0x10;
        var act = () => Read(bytes, r => r.ReadArray<int>(3, "values"));
        act.Should().Throw<InvalidDataException>().WithMessage("*corrupted*CRC-32*");
    }

    [Fact]
    public void ModelStateFormat_WrongMagicKindOrVersion_SaysWhatIsWrong()
    {
        byte[] bytes = Write(w => w.Write(1));
        var badMagic = (byte[])bytes.Clone();
        badMagic[0] = (byte)'X';
        FluentActions.Invoking(() => Read(badMagic, r => r.ReadInt32("x"))).Should().Throw<InvalidDataException>().WithMessage("*magic*");
        FluentActions.Invoking(() => ModelStateFormat.Read(new MemoryStream(bytes), "Other", 1, (r, _) => r.ReadInt32("x")))
            .Should().Throw<InvalidDataException>().WithMessage("*'Test', not a 'Other'*");

        var newer = new MemoryStream();
        ModelStateFormat.Write(newer, "Test", 7, w => w.Write(1));
        FluentActions.Invoking(() => Read(newer.ToArray(), r => r.ReadInt32("x"))).Should().Throw<InvalidDataException>().WithMessage("*version 7 is not supported*");
    }

    [Fact]
    public void ModelStateReader_SizeLargerThanPayload_ThrowsBeforeAllocating()
    {
        byte[] bytes = Write(w => w.Write(int.MaxValue));
        var act = () => Read(bytes, r => r.ReadArray<float>(r.ReadInt32("count"), "values"));
        act.Should().Throw<InvalidDataException>().WithMessage("*'values' declares 2147483647 values*");
    }

    [Fact]
    public void ModelStateReader_TrailingBytes_AreRejected()
    {
        byte[] bytes = Write(w => w.Write(1L));
        var act = () => Read(bytes, r => r.ReadInt32("first half"));
        act.Should().Throw<InvalidDataException>().WithMessage("*4 unexpected bytes*");
    }

    [Fact]
    public void KnnModelFile_CorruptedState_LoadThrowsInvalidDataException()
    {
        string path = SaveKnnModel();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.Single(e => e.Name == ModelPersistence.StateStreamName);
            byte[] bytes;
            using (var stream = entry.Open())
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            bytes[bytes.Length / 2] ^= 0xFF;
            string name = entry.FullName;
            entry.Delete();
            using var replaced = zip.CreateEntry(name).Open();
            replaced.Write(bytes);
        }

        // ML.NET calls loaders by reflection, so our exception arrives wrapped in a TargetInvocationException.
        Action act = () => new MLContext().Model.Load(path, out _);
        InnermostInvalidData(act).Message.Should().Match("*KnnPredictionTransformer*corrupted*CRC-32*");
    }

    [Fact]
    public void KnnModelFile_Truncated_LoadThrowsInvalidDataException()
    {
        string path = SaveKnnModel();
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        // ML.NET's own zip reader detects this one (FormatException around an InvalidDataException).
        Action act = () => new MLContext().Model.Load(path, out _);
        InnermostInvalidData(act).Message.Should().Contain("Central Directory");
    }

    private static InvalidDataException InnermostInvalidData(Action act)
    {
        var thrown = act.Should().Throw<Exception>().Which;
        var chain = new List<Exception>();
        for (var e = thrown; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }

        return chain.OfType<InvalidDataException>().Should().ContainSingle($"the failure should carry an InvalidDataException; got {thrown}").Subject;
    }

    private static string SaveKnnModel()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(50, 4, seed: 1), 4);
        var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3).Fit(data);
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "model.zip");
        ml.Model.Save(model, data.Schema, path);
        return path;
    }

    private static byte[] Write(Action<BinaryWriter> payload)
    {
        var stream = new MemoryStream();
        ModelStateFormat.Write(stream, "Test", 1, payload);
        return stream.ToArray();
    }

    private static T Read<T>(byte[] bytes, Func<ModelStateReader, T> payload)
        => ModelStateFormat.Read(new MemoryStream(bytes), "Test", 1, (reader, _) => payload(reader));
}
