namespace MLNet.KnnLinear.Plotting;

/// <summary>Which point of a line of text lies on the anchor given to <see cref="CanvasText.DrawText"/>, along the text.</summary>
internal enum TextAlign
{
    Left,
    Center,
    Right,
}

/// <summary>Which point of a line of text lies on the anchor, across the text: the line's top, its middle, or its bottom.</summary>
internal enum TextBaseline
{
    Top,
    Middle,
    Bottom,
}
