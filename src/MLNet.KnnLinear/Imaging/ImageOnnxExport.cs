using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>An image featurizer's ONNX export: from the pixel column's graph variable to the features [batch, length].</summary>
internal abstract class ImageOnnxExport(string component)
{
    public string Component => component;

    /// <summary>Throws <see cref="NotSupportedException"/> naming the component and option when the featurizer cannot be exported.</summary>
    public virtual void Check(ImageColumn input)
    {
        if (input.Kind == ImageColumnKind.Image)
        {
            throw new NotSupportedException(
                $"ONNX export: {Component} reads the image column '{input.Column.Name}', and ONNX has no image type. Featurize a pixel vector column " +
                "instead (LoadFromCifar10's Pixels, or ExtractPixels with outputAsFloatArray), which exports.");
        }
    }

    /// <summary>The features, float [batch, length] (called only after <see cref="Check"/> passed).</summary>
    public abstract string Export(OnnxGraph g, ImageColumn input, string pixels);

    /// <summary>The pixel vector as planes [batch, channels, height, width] of <paramref name="element"/> (float or double), widened exactly.</summary>
    protected static string Planes(OnnxGraph g, ImageColumn input, string pixels, Type element)
    {
        string values = g.Cast(pixels, element);
        return input.Layout == PixelLayout.Planar || input.Channels == 1
            ? g.Reshape(values, -1, input.Channels, input.Height, input.Width)
            : g.Transpose(g.Reshape(values, -1, input.Height, input.Width, input.Channels), 0, 3, 1, 2);
    }
}
