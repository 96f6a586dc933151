using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>The colour histogram's definition, validated and immutable (what its transformer saves).</summary>
internal sealed record ColorHistogramParameters(ColorHistogramChannels Channels, int Bins, bool Joint, float MaxPixelValue)
{
    private static readonly ColorHistogramChannels[] Order =
        [ColorHistogramChannels.Red, ColorHistogramChannels.Green, ColorHistogramChannels.Blue, ColorHistogramChannels.Hue, ColorHistogramChannels.Saturation, ColorHistogramChannels.Value];

    /// <summary>The selected channels in output order: R, G, B, H, S, V.</summary>
    public ColorHistogramChannels[] Selected => Order.Where(c => Channels.HasFlag(c)).ToArray();

    /// <summary>
    /// The most slots a histogram may have (65,536, i.e. 256 KiB of features per row): a joint histogram of 3 channels
    /// allows up to 40 bins per channel. Beyond this, rows of features would dwarf the images they describe.
    /// </summary>
    public const int MaxLength = 1 << 16;

    /// <summary>bins × channels, or bins^channels for a joint histogram.</summary>
    public int Length => checked((int)LengthOf(Bins, Selected.Length, Joint));

    /// <summary>The slot count, computed without overflow (it may exceed <see cref="MaxLength"/>).</summary>
    public static double LengthOf(int bins, int channels, bool joint) => joint ? Math.Pow(bins, channels) : (double)bins * channels;

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

        var parameters = new ColorHistogramParameters((ColorHistogramChannels)channels, bins, joint, max);
        double length = LengthOf(bins, parameters.Selected.Length, joint);
        if (length > MaxLength)
        {
            throw reader.Invalid($"{bins} bins per channel make {length} slots, more than the {MaxLength} allowed");
        }

        return parameters;
    }
}
