using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>Finds the CIFAR-10 data and copies a loaded split into flat arrays (for the centred-pixel features).</summary>
internal static class CifarFiles
{
    public const int PixelCount = 3072;

    /// <summary>Where the data is: see <see cref="MLNet.KnnLinear.Examples.CifarLocation.Locate"/>.</summary>
    public static string? Locate(string? fromArguments) => MLNet.KnnLinear.Examples.CifarLocation.Locate(fromArguments);

    /// <summary>The pixels (as floats, row-major) and 0-based labels of a LoadFromCifar10 view.</summary>
    public static (float[] Pixels, int[] Labels) ToArrays(MLContext ml, IDataView data)
    {
        var rows = ml.Data.CreateEnumerable<Record>(data, reuseRowObject: false).ToList();
        var pixels = new float[rows.Count * PixelCount];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int k = 0; k < PixelCount; k++)
            {
                pixels[(i * PixelCount) + k] = rows[i].Pixels[k];
            }
        }

        return (pixels, rows.Select(r => (int)r.Label - 1).ToArray());
    }

    private sealed class Record
    {
        [KeyType(10)]
        public uint Label { get; set; }

        [VectorType(PixelCount)]
        public byte[] Pixels { get; set; } = [];
    }
}
