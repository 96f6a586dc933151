namespace MLNet.KnnLinear;

/// <summary>How a pixel's gradient votes into the orientation histograms.</summary>
public enum HogVoting
{
    /// <summary>
    /// As scikit-image's <c>hog</c>: each pixel adds its gradient magnitude to the one orientation bin its angle falls
    /// in, in the one cell that contains it; a cell's histogram is divided by its pixel count. Cells are computed once
    /// and shared by the blocks that overlap them.
    /// </summary>
    Hard,

    /// <summary>
    /// Dalal and Triggs' trilinear voting as OpenCV's <c>HOGDescriptor</c>: the magnitude is split linearly between the
    /// two orientation bins nearest to the angle (bin centres at (i + ½)·width) and between the four cells whose centres
    /// are nearest to the pixel, weighted by a Gaussian window over the block (σ = (block width + block height in
    /// pixels) / 8). Every block votes its own pixels. L2Hys then uses OpenCV's constants: v / (‖v‖₂ + 0.1·length),
    /// clip at 0.2, v / (‖v‖₂ + 1e-3); angles come from OpenCV's fast atan2 polynomial (error &lt; 0.01°) and colour
    /// ties go to blue, then green, as in OpenCV. Matches HOGDescriptor within 1e-4 (tested), in scikit-image's layout.
    /// </summary>
    Trilinear,
}
