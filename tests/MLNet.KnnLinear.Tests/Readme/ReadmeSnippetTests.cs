using System.Text.RegularExpressions;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Readme;

/// <summary>
/// Every C# block of the README compiles: each is the quick start (tests/Consumer/QuickStart.cs, which
/// .ci/consumer-test compares and runs) or a region of <see cref="ReadmeSnippets"/> (compiled with these tests),
/// line for line after the region's common indentation.
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    [Fact]
    public void EveryCSharpBlock_IsTheQuickStartOrACompiledSnippet_LineForLine()
    {
        var readme = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        var regions = Regions(File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "MLNet.KnnLinear.Tests", "Readme", "ReadmeSnippets.cs")));
        var seen = new HashSet<string>();
        for (int i = 0; i < readme.Length; i++)
        {
            if (readme[i].Trim() != "```csharp")
            {
                continue;
            }

            string marker = i > 0 ? readme[i - 1].Trim() : string.Empty;
            if (marker.StartsWith("<!-- quickstart:", StringComparison.Ordinal))
            {
                continue;
            }

            var match = SnippetMarker().Match(marker);
            match.Success.Should().BeTrue($"README line {i + 1} opens a C# block without a '<!-- snippet: NAME -->' line above it");
            string name = match.Groups[1].Value;
            regions.Should().ContainKey(name, $"README line {i + 1}: snippet '{name}' needs a #region {name} in ReadmeSnippets.cs");
            var block = readme.Skip(i + 1).TakeWhile(line => line.Trim() != "```").ToArray();
            block.Should().Equal(regions[name], $"README snippet '{name}' (line {i + 1}) must equal its compiled region");
            seen.Add(name);
        }

        regions.Keys.Should().BeSubsetOf(seen, "every compiled region is shown in the README");
        seen.Should().NotBeEmpty();
    }

    private static Dictionary<string, string[]> Regions(string[] lines)
    {
        var regions = new Dictionary<string, string[]>();
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].Trim();
            if (!trimmed.StartsWith("#region ", StringComparison.Ordinal))
            {
                continue;
            }

            var body = lines.Skip(i + 1).TakeWhile(line => line.Trim() != "#endregion").ToArray();
            int indent = body.Where(line => line.Trim().Length > 0).Select(line => line.Length - line.TrimStart().Length).DefaultIfEmpty(0).Min();
            regions[trimmed["#region ".Length..].Trim()] = body.Select(line => line.Length >= indent ? line[indent..] : line.TrimStart()).ToArray();
        }

        return regions;
    }

    [GeneratedRegex(@"^<!-- snippet: ([a-z0-9-]+) -->$")]
    private static partial Regex SnippetMarker();
}
