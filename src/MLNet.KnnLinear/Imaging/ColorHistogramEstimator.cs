using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.MlNetInterop;

namespace MLNet.KnnLinear;

/// <summary>
/// Colour histogram features of an image column or pixel vector: for each selected channel (R, G, B, hue, saturation,
/// value) the fraction of pixels in each of <see cref="Options.BinsPerChannel"/> equal bins over [0, max], appended as a
/// known-size vector of Single.
/// </summary>
/// <remarks>
/// Output size: bins × channels (histograms concatenated in the order R, G, B, H, S, V), or bins^channels for a
/// <see cref="Options.Joint"/> histogram (index = Σ binᵢ · bins^(k−1−i) over the selected channels in that order).
/// The defaults (hue, 10 bins, max 255) are the CS231n features assignment's <c>color_histogram_hsv</c>, whose
/// values it reproduces. A grey input (one channel) reads as R = G = B. No fitting: Fit only checks the input column.
/// </remarks>
public sealed class ColorHistogramEstimator : ImageFeaturizerEstimator<ColorHistogramTransformer>
{
    private readonly ColorHistogramParameters _parameters;

    internal ColorHistogramEstimator(Options options)
        : base(options)
        => _parameters = options.ToParameters();

    private protected override ColorHistogramTransformer CreateTransformer() => new(Source, OutputColumnName, _parameters, Threads);

    /// <summary>Options of <see cref="ColorHistogramEstimator"/>.</summary>
    public sealed class Options : ImageFeaturizerOptions
    {
        /// <summary>The channels histogrammed (hue by default).</summary>
        public ColorHistogramChannels Channels { get; set; } = ColorHistogramChannels.Hue;

        /// <summary>
        /// Bins per channel (10). The histogram may have at most 65,536 slots: bins × channels, or bins^channels when
        /// <see cref="Joint"/> (so at most 256 bins for a joint histogram of 2 channels, 40 for 3).
        /// </summary>
        public int BinsPerChannel { get; set; } = 10;

        /// <summary>False (default): one histogram per channel, concatenated; true: one joint histogram over all selected channels.</summary>
        public bool Joint { get; set; }

        /// <summary>The largest pixel value, the top of the bins' range: 255 for bytes, 1 for pixels scaled to [0, 1].</summary>
        public float MaxPixelValue { get; set; } = 255;

        internal override void Validate()
        {
            base.Validate();
            if (Channels == ColorHistogramChannels.None || (Channels & ~(ColorHistogramChannels.Rgb | ColorHistogramChannels.Hsv)) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Channels must select at least one of Red, Green, Blue, Hue, Saturation, Value.");
            }

            Positive(BinsPerChannel, nameof(BinsPerChannel));
            if (!(MaxPixelValue > 0) || !float.IsFinite(MaxPixelValue))
            {
                throw new ArgumentOutOfRangeException(nameof(MaxPixelValue), MaxPixelValue, "MaxPixelValue must be a positive number.");
            }

            int channels = ToParameters().Selected.Length;
            double length = ColorHistogramParameters.LengthOf(BinsPerChannel, channels, Joint);
            if (length > ColorHistogramParameters.MaxLength)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(BinsPerChannel),
                    BinsPerChannel,
                    string.Create(CultureInfo.InvariantCulture, $"BinsPerChannel {BinsPerChannel} over {channels} channel(s){(Joint ? " (joint)" : string.Empty)} makes {length:N0} histogram slots; at most {ColorHistogramParameters.MaxLength:N0} are allowed."));
            }
        }

        internal ColorHistogramParameters ToParameters() => new(Channels, BinsPerChannel, Joint, MaxPixelValue);
    }
}
