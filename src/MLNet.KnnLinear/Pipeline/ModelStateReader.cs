using System.Runtime.InteropServices;
using System.Text;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Reads a payload checked by <see cref="ModelStateFormat"/>. Every read names the field it reads, so a payload
/// that is inconsistent (a size out of range, too few bytes) fails with an <see cref="InvalidDataException"/> saying
/// which field is wrong, before any allocation larger than the payload itself.
/// </summary>
internal sealed class ModelStateReader
{
    private readonly MemoryStream _payload;
    private readonly BinaryReader _reader;
    private readonly string _kind;

    public ModelStateReader(MemoryStream payload, string kind)
    {
        _payload = payload;
        _reader = new BinaryReader(payload, Encoding.UTF8);
        _kind = kind;
    }

    private long Remaining => _payload.Length - _payload.Position;

    /// <summary>When set, receives the payload offset of every int32 field read (so tests can corrupt each one).</summary>
    internal List<long>? Int32FieldOffsets { get; init; }

    public int ReadInt32(string field, int min = int.MinValue, int max = int.MaxValue)
    {
        Need(4, field);
        Int32FieldOffsets?.Add(_payload.Position);
        int value = _reader.ReadInt32();
        if (value < min || value > max)
        {
            throw Invalid($"field '{field}' is {value}, expected {min} to {max}");
        }

        return value;
    }

    /// <summary>
    /// Reads a count of items that each take at least <paramref name="minBytesEach"/> bytes further on, and checks
    /// that the bytes left can hold that many before anything is allocated for them.
    /// </summary>
    public int ReadCount(string field, long minBytesEach, int min = 0, int max = int.MaxValue)
    {
        int count = ReadInt32(field, min, max);
        if (count * minBytesEach > Remaining)
        {
            throw Invalid($"field '{field}' declares {count} items of at least {minBytesEach} bytes each, but only {Remaining} bytes remain");
        }

        return count;
    }

    public uint ReadUInt32(string field)
    {
        Need(4, field);
        return _reader.ReadUInt32();
    }

    public float ReadSingle(string field)
    {
        Need(4, field);
        return _reader.ReadSingle();
    }

    public byte ReadByte(string field)
    {
        Need(1, field);
        return _reader.ReadByte();
    }

    public bool ReadBoolean(string field) => ReadByte(field) switch
    {
        0 => false,
        1 => true,
        var b => throw Invalid($"field '{field}' is {b}, expected 0 or 1"),
    };

    public TEnum ReadEnum<TEnum>(string field)
        where TEnum : struct, Enum
    {
        int raw = ReadInt32(field);
        var value = (TEnum)Enum.ToObject(typeof(TEnum), raw);
        if (!Enum.IsDefined(value))
        {
            throw Invalid($"field '{field}' is {raw}, not a {typeof(TEnum).Name}");
        }

        return value;
    }

    public string ReadString(string field)
    {
        int length = ReadInt32(field + " length", 0);
        Need(length, field);
        return Encoding.UTF8.GetString(_reader.ReadBytes(length));
    }

    /// <summary>Reads <paramref name="count"/> values of an unmanaged type, checking first that the payload holds them.</summary>
    public T[] ReadArray<T>(long count, string field)
        where T : unmanaged
    {
        long bytes = count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (count < 0 || bytes > Remaining)
        {
            throw Invalid($"field '{field}' declares {count} values, but only {Remaining} bytes remain");
        }

        var values = new T[count];
        _reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public InvalidDataException Invalid(string problem) => new($"'{_kind}' state is invalid: {problem}.");

    public void EnsureAtEnd()
    {
        if (Remaining != 0)
        {
            throw Invalid($"{Remaining} unexpected bytes after the last field");
        }
    }

    private void Need(long bytes, string field)
    {
        if (bytes > Remaining)
        {
            throw new InvalidDataException($"'{_kind}' state is truncated: field '{field}' needs {bytes} bytes, {Remaining} remain.");
        }
    }
}
