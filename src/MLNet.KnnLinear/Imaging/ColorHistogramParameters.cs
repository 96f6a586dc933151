using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>The colour histogram's definition, validated and immutable (what its transformer saves).</summary>
internal sealed record ColorHistogramParameters(ColorHistogramChannels Channels, int Bins, bool Joint, float MaxPixelValue)
{
    private static readonly ColorHistogramChannels[] Order =
        [ColorHistogramChannels.Red, ColorHistogramChannels.Green, ColorHistogramChannels.Blue, ColorHistogramChannels.Hue, ColorHistogramChannels.Saturation, ColorHistogramChannels.Value];

    /// <summary>The selected channels in output order: R, G, B, H, S, V.</summary>
    public ColorHistogramChannels[] Selected => Order.Where(c => Channels.HasFlag(c)).ToArray();

    /// <summary>bins × channels, or bins^channels for a joint histogram.</summary>
    public int Length => Joint ? (int)Math.Pow(Bins, Selected.Length) : Bins * Selected.Length;

    public void Write(BinaryWriter writer)
    {
        writer.Write((int)Channels);
        writer.Write(Bins);
        writer.Write(Joint);
        writer.Write(MaxPixelValue);
    }

    public static ColorHistogramParameters Read(ModelStateReader reader)
    {
        int channels = reader.ReadInt32("channels", 1, (int)(ColorHistogramChannels.Rgb | ColorHistogramChannels.Hsv));
        int bins = reader.ReadInt32("bins", 1, 1 << 16);
        bool joint = reader.ReadBoolean("joint");
        float max = reader.ReadSingle("max pixel value");
        if (!(max > 0) || !float.IsFinite(max))
        {
            throw reader.Invalid($"max pixel value is {max}");
        }

        return new((ColorHistogramChannels)channels, bins, joint, max);
    }
}
