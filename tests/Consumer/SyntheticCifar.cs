namespace KnnLinearConsumer;

/// <summary>
/// Writes a small synthetic data set in the CIFAR-10 binary format (a cifar-10-batches-bin folder with
/// data_batch_1.bin … data_batch_5.bin, test_batch.bin and batches.meta.txt: LoadFromCifar10 requires every batch of
/// a split), so the consumer test reads it with LoadFromCifar10 like real data. Ten classes of 32×32 colour images, one pattern each (stripes in four orientations, checkerboard, disc,
/// ring, two gradients, cross), with random phase or position, random colours and Gaussian noise.
/// </summary>
public static class SyntheticCifar
{
    private const int Size = 32;
    private const int Plane = Size * Size;

    /// <summary>The class names written to batches.meta.txt, in label order.</summary>
    public static readonly string[] ClassNames =
        ["horizontal", "vertical", "diagonal", "antidiagonal", "checkerboard", "disc", "ring", "x-gradient", "y-gradient", "cross"];

    /// <summary>Writes the folder and returns its path.</summary>
    public static string Write(string directory, int trainPerClass, int testPerClass, int seed)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        for (int batch = 0; batch < 5; batch++)
        {
            // The training images split over the five batches (the first ones take the remainder).
            int perClass = (trainPerClass / 5) + (batch < trainPerClass % 5 ? 1 : 0);
            WriteBatch(Path.Combine(directory, $"data_batch_{batch + 1}.bin"), perClass, random);
        }

        WriteBatch(Path.Combine(directory, "test_batch.bin"), testPerClass, random);
        File.WriteAllLines(Path.Combine(directory, "batches.meta.txt"), ClassNames);
        return directory;
    }

    private static void WriteBatch(string file, int perClass, Random random)
    {
        using var stream = File.Create(file);
        var record = new byte[1 + 3 * Plane];
        for (int i = 0; i < perClass; i++)
        {
            for (int label = 0; label < ClassNames.Length; label++)
            {
                record[0] = (byte)label;
                Render(label, random, record.AsSpan(1));
                stream.Write(record);
            }
        }
    }

    /// <summary>One image, planar R, G, B bytes (the CIFAR-10 layout).</summary>
    private static void Render(int label, Random random, Span<byte> pixels)
    {
        double period = 6 + 4 * random.NextDouble();
        double phase = 2 * Math.PI * random.NextDouble();
        double cx = 15.5 + 6 * (random.NextDouble() - 0.5), cy = 15.5 + 6 * (random.NextDouble() - 0.5);
        double radius = 7 + 4 * random.NextDouble();
        Span<double> background = stackalloc double[3], foreground = stackalloc double[3];
        for (int c = 0; c < 3; c++)
        {
            background[c] = 100 * random.NextDouble();
            foreground[c] = 155 + 100 * random.NextDouble();
        }

        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                double w = 2 * Math.PI / period;
                double r = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                double v = label switch
                {
                    0 => Wave(w * y + phase),
                    1 => Wave(w * x + phase),
                    2 => Wave(w * (x + y) / Math.Sqrt(2) + phase),
                    3 => Wave(w * (x - y) / Math.Sqrt(2) + phase),
                    4 => Math.Sin(w * x + phase) * Math.Sin(w * y + phase) > 0 ? 1 : 0,
                    5 => r < radius ? 1 : 0,
                    6 => Math.Abs(r - radius) < 2 ? 1 : 0,
                    7 => x / (Size - 1.0),
                    8 => y / (Size - 1.0),
                    _ => Math.Abs(x - cx) < 2.5 || Math.Abs(y - cy) < 2.5 ? 1 : 0,
                };
                for (int c = 0; c < 3; c++)
                {
                    double value = background[c] + (foreground[c] - background[c]) * v + 25 * Gaussian(random);
                    pixels[c * Plane + y * Size + x] = (byte)Math.Clamp(Math.Round(value), 0, 255);
                }
            }
        }
    }

    private static double Wave(double t) => 0.5 + 0.5 * Math.Sin(t);

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
