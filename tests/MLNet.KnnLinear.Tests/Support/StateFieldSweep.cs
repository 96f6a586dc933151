using System.Buffers.Binary;
using Microsoft.ML;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>
/// Corrupts every int32 field of a component's saved state, one at a time, to each of a set of hostile values, with
/// the CRC recomputed so the corruption reaches the reader: a state must then either fail with
/// <see cref="InvalidDataException"/>, or load into a model that predicts or refuses the data clearly; and neither
/// loading nor predicting may allocate more than a small budget (counts are checked against the bytes left, and
/// runtime settings such as thread counts are not read from the file).
/// </summary>
internal static class StateFieldSweep
{
    private static readonly int[] HostileValues = [int.MinValue, -1, 0, 1, 3, 255, 65_537, 1 << 24, int.MaxValue];

    /// <summary>Runs the sweep; returns the number of int32 fields found in the state.</summary>
    public static int Run<T>(T transformer, IDataView test)
        where T : class, IPersistentTransformer<T>, ITransformer
    {
        var info = T.Persistence;
        byte[] payload = Payload(transformer);
        var offsets = new List<long>();
        var reader = new ModelStateReader(new MemoryStream(payload), info.Kind) { Int32FieldOffsets = offsets };
        T.ReadState(reader, info.Version);
        reader.EnsureAtEnd();
        long loadBudget = (4L * payload.Length) + (16L << 20);
        const long predictBudget = 64L << 20;

        foreach (long offset in offsets)
        {
            foreach (int value in HostileValues)
            {
                byte[] mutated = (byte[])payload.Clone();
                BinaryPrimitives.WriteInt32LittleEndian(mutated.AsSpan((int)offset), value);
                if (mutated.AsSpan().SequenceEqual(payload))
                {
                    continue;
                }

                var file = new MemoryStream();
                ModelStateFormat.Write(file, info.Kind, info.Version, w => w.Write(mutated));
                file.Position = 0;
                string what = $"{info.Kind} state, int32 at payload offset {offset} set to {value}";
                T? loaded = null;
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    loaded = ModelStateFormat.Read(file, info.Kind, info.Version, T.ReadState);
                }
                catch (InvalidDataException)
                {
                }

                (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(loadBudget, $"loading must check counts against the bytes left ({what})");
                if (loaded is null)
                {
                    continue;
                }

                before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    loaded.Transform(test).Preview(maxRows: 3);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or InvalidDataException)
                {
                }

                (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(predictBudget, $"a loaded state must not allocate by a field it read ({what})");
            }
        }

        return offsets.Count;
    }

    public static byte[] Payload<T>(T transformer)
        where T : class, IPersistentTransformer<T>
    {
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload))
        {
            transformer.WriteState(writer);
        }

        return payload.ToArray();
    }
}
