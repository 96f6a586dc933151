using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.MlNetInterop;

namespace MLNet.KnnLinear;

/// <summary>
/// Histogram of Oriented Gradients features (Dalal and Triggs, "Histograms of Oriented Gradients for Human
/// Detection", CVPR 2005) of an image column or pixel vector, appended as a known-size vector of Single.
/// </summary>
/// <remarks>
/// <para>
/// Per pixel: the centred-difference gradient (zero on the border), of the channel with the largest magnitude or of
/// the luminance (<see cref="Options.ColorMode"/>), optionally of √pixel (<see cref="Options.SqrtCompression"/>).
/// The image is tiled into cells of <see cref="Options.CellHeight"/> × <see cref="Options.CellWidth"/> pixels from
/// the top-left corner (leftover pixels at the right and bottom are ignored); each cell histograms its gradient
/// angles into <see cref="Options.Orientations"/> bins over 0–180° (0–360° when signed), weighted by magnitude
/// (<see cref="Options.Voting"/>). Blocks of <see cref="Options.BlockHeight"/> × <see cref="Options.BlockWidth"/>
/// cells, every <see cref="Options.BlockStride"/> cells, are normalised (<see cref="Options.BlockNormalization"/>)
/// and concatenated: blocks row-major, then cells row-major, then orientations (scikit-image's layout).
/// </para>
/// <para>
/// Output size, for an H × W image: ((⌊H / cellHeight⌋ − blockHeight) / stride + 1) × ((⌊W / cellWidth⌋ − blockWidth)
/// / stride + 1) × blockHeight × blockWidth × orientations (integer division). A 32 × 32 image with the defaults
/// (9 orientations, 8 × 8 cells, 2 × 2 blocks, stride 1): 3 × 3 × 2 × 2 × 9 = 324.
/// </para>
/// <para>
/// With the defaults and <see cref="HogVoting.Hard"/> the output equals scikit-image 0.19's
/// <c>hog(image, orientations, pixels_per_cell, cells_per_block, block_norm, transform_sqrt, channel_axis=-1)</c>
/// (within 1e-4, tested against fixtures); <see cref="HogVoting.Trilinear"/> reproduces OpenCV's
/// <c>HOGDescriptor</c> up to its layout. No fitting: Fit only checks the input column. Images are read, never disposed.
/// </para>
/// </remarks>
public sealed class HogFeaturesEstimator : ImageFeaturizerEstimator<HogFeaturesTransformer>
{
    private readonly HogParameters _parameters;

    internal HogFeaturesEstimator(Options options)
        : base(options)
        => _parameters = options.ToParameters();

    private protected override HogFeaturesTransformer CreateTransformer() => new(Source, OutputColumnName, _parameters, Threads);

    /// <summary>Options of <see cref="HogFeaturesEstimator"/>; the defaults are Dalal and Triggs' (and scikit-image's, except 2 × 2 blocks).</summary>
    public sealed class Options : ImageFeaturizerOptions
    {
        /// <summary>Orientation bins per cell (9).</summary>
        public int Orientations { get; set; } = 9;

        /// <summary>Cell height in pixels (8).</summary>
        public int CellHeight { get; set; } = 8;

        /// <summary>Cell width in pixels (8).</summary>
        public int CellWidth { get; set; } = 8;

        /// <summary>Block height in cells (2).</summary>
        public int BlockHeight { get; set; } = 2;

        /// <summary>Block width in cells (2).</summary>
        public int BlockWidth { get; set; } = 2;

        /// <summary>Cells from one block to the next, down and across (1: blocks overlap by all but one cell).</summary>
        public int BlockStride { get; set; } = 1;

        /// <summary>How each block is normalised (L2Hys, clip 0.2).</summary>
        public HogBlockNormalization BlockNormalization { get; set; } = HogBlockNormalization.L2Hys;

        /// <summary>False (default): unsigned gradients, angles folded into 0–180°; true: 0–360°.</summary>
        public bool SignedGradients { get; set; }

        /// <summary>Take the square root of every pixel value before the gradients (Dalal and Triggs' gamma compression).</summary>
        public bool SqrtCompression { get; set; }

        /// <summary>Hard voting (scikit-image) or trilinear voting with a Gaussian block window (Dalal and Triggs, OpenCV).</summary>
        public HogVoting Voting { get; set; } = HogVoting.Hard;

        /// <summary>How colour images become one gradient per pixel.</summary>
        public HogColorMode ColorMode { get; set; } = HogColorMode.MaxGradientChannel;

        internal override void Validate()
        {
            base.Validate();
            Positive(Orientations, nameof(Orientations));
            if (Orientations > 360)
            {
                throw new ArgumentOutOfRangeException(nameof(Orientations), Orientations, "Orientations must be at most 360.");
            }

            Positive(CellHeight, nameof(CellHeight));
            Positive(CellWidth, nameof(CellWidth));
            Positive(BlockHeight, nameof(BlockHeight));
            Positive(BlockWidth, nameof(BlockWidth));
            Positive(BlockStride, nameof(BlockStride));
            Defined(BlockNormalization, nameof(BlockNormalization));
            Defined(Voting, nameof(Voting));
            Defined(ColorMode, nameof(ColorMode));
            if (ImageHeight > 0 && ImageHeight < BlockHeight * CellHeight)
            {
                throw new ArgumentOutOfRangeException(nameof(BlockHeight), $"A block of {BlockHeight} cells of {CellHeight} pixels is taller than the image (ImageHeight = {ImageHeight}).");
            }

            if (ImageWidth > 0 && ImageWidth < BlockWidth * CellWidth)
            {
                throw new ArgumentOutOfRangeException(nameof(BlockWidth), $"A block of {BlockWidth} cells of {CellWidth} pixels is wider than the image (ImageWidth = {ImageWidth}).");
            }
        }

        internal HogParameters ToParameters()
            => new(Orientations, CellHeight, CellWidth, BlockHeight, BlockWidth, BlockStride, BlockNormalization, SignedGradients, SqrtCompression, Voting, ColorMode);

        private static void Defined<TEnum>(TEnum value, string name)
            where TEnum : struct, Enum
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
            }
        }
    }
}
