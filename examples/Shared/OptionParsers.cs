using System.CommandLine.Parsing;
using System.Globalization;

namespace MLNet.KnnLinear.Examples;

/// <summary>
/// The examples' option parsers (System.CommandLine custom parsers): invariant-culture numbers, and a bad value an
/// error that names the option and says what was expected. Linked into each example from examples/Shared.
/// </summary>
internal static class OptionParsers
{
    public static string Token(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;

    public static int Whole(ArgumentResult result, string name, int min)
    {
        string text = Token(result);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min)
        {
            return value;
        }

        result.AddError($"{name}: expected a whole number ≥ {min}, got '{text}'.");
        return min;
    }

    public static double Fraction(ArgumentResult result, string name)
    {
        string text = Token(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value < 1)
        {
            return value;
        }

        result.AddError($"{name}: expected a number between 0 and 1 (exclusive), got '{text}'.");
        return 0.2;
    }

    public static double NonNegative(ArgumentResult result, string name)
    {
        string text = Token(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && double.IsFinite(value))
        {
            return value;
        }

        result.AddError($"{name}: expected a finite number ≥ 0, got '{text}'.");
        return 0;
    }
}
