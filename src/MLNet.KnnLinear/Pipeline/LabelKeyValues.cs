using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The names of a label's classes: the <c>KeyValues</c> annotation of the key-typed label column, captured at fit
/// and carried by the fitted transformer so that <c>PredictedLabel</c> gets the same annotation (then
/// <c>MapKeyToValue</c> works after a prediction) and <c>Score</c> gets slot names (so evaluators print class names).
/// Supports text and every primitive number type and Boolean as key values.
/// </summary>
internal sealed class LabelKeyValues
{
    private const string KeyValuesKind = "KeyValues";
    private const string SlotNamesKind = "SlotNames";

    private static readonly DataViewType[] SupportedTypes =
    [
        TextDataViewType.Instance, BooleanDataViewType.Instance,
        NumberDataViewType.SByte, NumberDataViewType.Byte, NumberDataViewType.Int16, NumberDataViewType.UInt16,
        NumberDataViewType.Int32, NumberDataViewType.UInt32, NumberDataViewType.Int64, NumberDataViewType.UInt64,
        NumberDataViewType.Single, NumberDataViewType.Double,
    ];

    private readonly Array _values;

    private LabelKeyValues(DataViewType itemType, Array values)
    {
        ItemType = itemType;
        _values = values;
    }

    public DataViewType ItemType { get; }

    public int Count => _values.Length;

    /// <summary>The class names as text, in key order.</summary>
    public string[] Names => _values.Cast<object>().Select(v => v.ToString() ?? string.Empty).ToArray();

    /// <summary>The key values of <paramref name="label"/>, or null when it has none (or of a type we cannot persist).</summary>
    public static LabelKeyValues? From(DataViewSchema.Column label)
    {
        var annotation = label.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (annotation is not { Type: VectorDataViewType vector } || Array.IndexOf(SupportedTypes, vector.ItemType) < 0)
        {
            return null;
        }

        var read = typeof(LabelKeyValues).GetMethod(nameof(ReadAnnotation), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var values = (Array)read.MakeGenericMethod(vector.ItemType.RawType).Invoke(null, [label.Annotations])!;
        return new LabelKeyValues(vector.ItemType, values);
    }

    /// <summary>Adds <c>KeyValues</c> (for a key column of these classes) to <paramref name="builder"/>.</summary>
    public void AddKeyValues(DataViewSchema.Annotations.Builder builder) => Add(builder, KeyValuesKind);

    /// <summary>Adds <c>SlotNames</c> (for a vector with one slot per class) when the class names are text.</summary>
    public void AddSlotNames(DataViewSchema.Annotations.Builder builder)
    {
        if (ItemType is TextDataViewType)
        {
            Add(builder, SlotNamesKind);
        }
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Array.IndexOf(SupportedTypes, ItemType));
        writer.Write(_values.Length);
        foreach (object value in _values)
        {
            switch (value)
            {
                case ReadOnlyMemory<char> text: writer.WriteUtf8(text.ToString()); break;
                case bool b: writer.Write(b); break;
                case sbyte v: writer.Write(v); break;
                case byte v: writer.Write(v); break;
                case short v: writer.Write(v); break;
                case ushort v: writer.Write(v); break;
                case int v: writer.Write(v); break;
                case uint v: writer.Write(v); break;
                case long v: writer.Write(v); break;
                case ulong v: writer.Write(v); break;
                case float v: writer.Write(v); break;
                case double v: writer.Write(v); break;
                default: throw new InvalidOperationException($"Unexpected key value type {value.GetType()}.");
            }
        }
    }

    public static LabelKeyValues Read(ModelStateReader reader)
    {
        var itemType = SupportedTypes[reader.ReadInt32("key value type", 0, SupportedTypes.Length - 1)];
        Type raw = itemType.RawType;
        long minBytesEach = raw == typeof(ReadOnlyMemory<char>) ? sizeof(int) : raw == typeof(bool) ? 1 : System.Runtime.InteropServices.Marshal.SizeOf(raw);
        int count = reader.ReadCount("key value count", minBytesEach, 1);
        var values = Array.CreateInstance(raw == typeof(ReadOnlyMemory<char>) ? typeof(ReadOnlyMemory<char>) : raw, count);
        for (int i = 0; i < count; i++)
        {
            values.SetValue(raw == typeof(ReadOnlyMemory<char>) ? reader.ReadString("key value").AsMemory() : ReadScalar(reader, raw), i);
        }

        return new LabelKeyValues(itemType, values);
    }

    private static object ReadScalar(ModelStateReader reader, Type raw)
    {
        if (raw == typeof(bool))
        {
            return reader.ReadBoolean("key value");
        }

        int size = System.Runtime.InteropServices.Marshal.SizeOf(raw);
        byte[] bytes = reader.ReadArray<byte>(size, "key value");
        return raw switch
        {
            _ when raw == typeof(sbyte) => (sbyte)bytes[0],
            _ when raw == typeof(byte) => bytes[0],
            _ when raw == typeof(short) => BitConverter.ToInt16(bytes),
            _ when raw == typeof(ushort) => BitConverter.ToUInt16(bytes),
            _ when raw == typeof(int) => BitConverter.ToInt32(bytes),
            _ when raw == typeof(uint) => BitConverter.ToUInt32(bytes),
            _ when raw == typeof(long) => BitConverter.ToInt64(bytes),
            _ when raw == typeof(ulong) => BitConverter.ToUInt64(bytes),
            _ when raw == typeof(float) => BitConverter.ToSingle(bytes),
            _ => (object)BitConverter.ToDouble(bytes),
        };
    }

    private static T[] ReadAnnotation<T>(DataViewSchema.Annotations annotations)
    {
        VBuffer<T> buffer = default;
        annotations.GetValue(KeyValuesKind, ref buffer);
        return buffer.DenseValues().ToArray();
    }

    private void Add(DataViewSchema.Annotations.Builder builder, string kind)
    {
        var method = typeof(LabelKeyValues).GetMethod(nameof(AddTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        method.MakeGenericMethod(ItemType.RawType).Invoke(this, [builder, kind]);
    }

    private void AddTyped<T>(DataViewSchema.Annotations.Builder builder, string kind)
    {
        var values = (T[])_values;
        builder.Add(kind, new VectorDataViewType((PrimitiveDataViewType)ItemType, values.Length), (ref VBuffer<T> dst) => dst = new VBuffer<T>(values.Length, (T[])values.Clone()));
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (object value in _values)
        {
            text.Append(text.Length == 0 ? string.Empty : ", ").Append(value);
        }

        return text.ToString();
    }
}
