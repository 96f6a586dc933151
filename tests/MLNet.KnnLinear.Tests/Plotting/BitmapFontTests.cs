using MLNet.KnnLinear.Plotting;

namespace MLNet.KnnLinear.Tests.Plotting;

public sealed class BitmapFontTests
{
    private static readonly BitmapFont Font = BuiltInFonts.Regular;

    [Fact]
    public void BuiltInFonts_EveryPrintableAsciiCharacterHasAGlyphAndDigitsShareOneWidth()
    {
        foreach (var font in new[] { BuiltInFonts.Regular, BuiltInFonts.Bold })
        {
            for (char c = '!'; c <= '~'; c++)
            {
                Ink(font, c.ToString()).Should().NotBeEmpty($"'{c}' has a glyph");
            }

            "0123456789".Select(d => font.Measure(d.ToString())).Distinct().Should().ContainSingle("numbers in cells and ticks line up");
            font.Measure(" ").Should().BePositive();
        }
    }

    [Fact]
    public void BitmapFont_Measure_SumsAdvancesAndDrawsUnknownCharactersAsQuestionMarks()
    {
        Font.Measure("ab").Should().Be(Font.Measure("a") + Font.Measure("b"));
        Font.Measure("漢").Should().Be(Font.Measure("?"));
        Ink(Font, "漢").Should().Equal(Ink(Font, "?"));
        Font.Measure(string.Empty).Should().Be(0);
    }

    [Fact]
    public void BitmapFont_Fit_ShortensWithAnEllipsisOnlyWhenNeeded()
    {
        Font.Fit("cat", 100).Should().Be("cat");

        string shortened = Font.Fit("a rather long class name", 60);

        shortened.Should().EndWith("…").And.StartWith("a rat");
        Font.Measure(shortened).Should().BeLessThanOrEqualTo(60);
    }

    [Fact]
    public void CanvasText_DrawText_InksInsideTheTextBoxAroundTheAnchor()
    {
        const string text = "Hello 42";
        int width = Font.Measure(text);

        var left = Box(canvas => canvas.DrawText(Font, text, 20, 30, Rgb.Black));
        var right = Box(canvas => canvas.DrawText(Font, text, 120, 30, Rgb.Black, TextAlign.Right, TextBaseline.Bottom));
        var centre = Box(canvas => canvas.DrawText(Font, text, 70, 40, Rgb.Black, TextAlign.Center, TextBaseline.Middle));

        // 'H' starts a pixel or so right of the pen and its top is at the cap height, below the line's top.
        left.Left.Should().BeInRange(20, 22);
        left.Right.Should().BeInRange(20 + width - 3, 20 + width - 1);
        left.Top.Should().BeInRange(31, 30 + Font.Ascent - 8);
        left.Bottom.Should().Be(30 + Font.Ascent - 1, "nothing in \"Hello 42\" descends below the baseline");
        right.Right.Should().BeInRange(117, 119);
        right.Bottom.Should().Be(30 - Font.Descent - 1);
        ((centre.Left + centre.Right) / 2.0).Should().BeApproximately(70, 2);
        ((centre.Top + centre.Bottom) / 2.0).Should().BeApproximately(40, 3);
    }

    [Fact]
    public void CanvasText_DrawText_UpwardsTurnsTheTextBoxAQuarterLeft()
    {
        const string text = "accuracy";
        var flat = Box(canvas => canvas.DrawText(Font, text, 10, 10, Rgb.Black));
        var upwards = Box(canvas => canvas.DrawText(Font, text, 10, 150, Rgb.Black, upwards: true));

        (upwards.Right - upwards.Left).Should().Be(flat.Bottom - flat.Top, "the line's height becomes the width");
        (upwards.Bottom - upwards.Top).Should().Be(flat.Right - flat.Left, "the line's length becomes the height");
        upwards.Bottom.Should().BeLessThan(150, "the text starts at the anchor and rises from it");
        upwards.Left.Should().BeGreaterThanOrEqualTo(10);
    }

    /// <summary>The pixels a text covers when drawn at the origin, as (x, y, level) triples.</summary>
    private static List<(int X, int Y, double Coverage)> Ink(BitmapFont font, string text)
    {
        var pixels = new List<(int, int, double)>();
        font.Rasterize(text, (x, y, coverage) => pixels.Add((x, y, coverage)));
        return pixels;
    }

    /// <summary>The bounding box of the non-white pixels after <paramref name="draw"/> on a white 200 × 200 canvas.</summary>
    private static (int Left, int Top, int Right, int Bottom) Box(Action<RgbCanvas> draw)
    {
        var canvas = new RgbCanvas(200, 200, Rgb.White);
        draw(canvas);
        (int left, int top, int right, int bottom) = (int.MaxValue, int.MaxValue, int.MinValue, int.MinValue);
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = 0; x < canvas.Width; x++)
            {
                if (canvas[x, y] != Rgb.White)
                {
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
                }
            }
        }

        right.Should().BeGreaterThanOrEqualTo(left, "something was drawn");
        return (left, top, right, bottom);
    }
}
