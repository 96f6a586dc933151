using OxyPlot;

namespace MLNet.KnnLinear.Visualization;

/// <summary>Writes an OxyPlot chart as PNG (SkiaSharp renderer) or SVG, chosen by the path's extension.</summary>
internal static class ChartFile
{
    public static void Save(PlotModel model, string path, int width, int height)
    {
        using var stream = File.Create(path);
        if (OutputFile.IsPng(path))
        {
            new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, stream);
        }
        else
        {
            new OxyPlot.SkiaSharp.SvgExporter { Width = width, Height = height }.Export(model, stream);
        }
    }
}
