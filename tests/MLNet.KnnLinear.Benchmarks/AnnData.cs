namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// The CIFAR-derived data for approximate search: each shared training image (data_batch_1..5, in file order)
/// becomes 16 rows, image-major: for shift s = 0..7 the image moved by <see cref="Shifts"/>[s] (dx right, dy down; the
/// edge pixel repeated into the gap), then that image mirrored left-right. Pooled: 4 × 4 average pooling per channel
/// (32 × 32 × 3 → 8 × 8 × 3 = 192). reference/ann_reference.py builds the same rows with numpy.
/// </summary>
public static class AnnData
{
    public static readonly (int Dx, int Dy)[] Shifts = [(0, 0), (3, 0), (-3, 0), (0, 3), (0, -3), (2, 2), (-2, -2), (1, -1)];

    public static (float[] Rows, float[] Queries, int Dimension) Load(string dataDir, bool pooled)
    {
        var train = Read(Enumerable.Range(1, 5).Select(i => Path.Combine(dataDir, $"data_batch_{i}.bin")));
        var test = Read([Path.Combine(dataDir, "test_batch.bin")]);
        int d = pooled ? 192 : 3072;
        int images = train.Length / 3072;
        var rows = new float[(long)images * 16 * d];
        var image = new float[3072];
        for (int i = 0; i < images; i++)
        {
            for (int s = 0; s < 8; s++)
            {
                for (int flip = 0; flip < 2; flip++)
                {
                    Transform(train.AsSpan(i * 3072, 3072), Shifts[s], flip == 1, image);
                    Emit(image, pooled, rows.AsSpan((((i * 16) + (s * 2) + flip) * d), d));
                }
            }
        }

        var queries = new float[(test.Length / 3072) * d];
        for (int i = 0; i < test.Length / 3072; i++)
        {
            Emit(test.AsSpan(i * 3072, 3072), pooled, queries.AsSpan(i * d, d));
        }

        return (rows, queries, d);
    }

    /// <summary>The rows, then <paramref name="copies"/> copies of them with seeded uniform noise in [−2, 2] on every value.</summary>
    public static float[] WithNoisyCopies(float[] rows, int copies, int seed)
    {
        var random = new Random(seed);
        var all = new float[rows.LongLength * (copies + 1)];
        rows.CopyTo(all, 0);
        for (long i = rows.LongLength; i < all.LongLength; i++)
        {
            all[i] = rows[i % rows.LongLength] + (float)((random.NextDouble() * 4) - 2);
        }

        return all;
    }

    private static void Transform(ReadOnlySpan<float> source, (int Dx, int Dy) shift, bool flip, Span<float> target)
    {
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 32; y++)
            {
                int sy = Math.Clamp(y - shift.Dy, 0, 31);
                for (int x = 0; x < 32; x++)
                {
                    int shiftedX = flip ? 31 - x : x;
                    int sx = Math.Clamp(shiftedX - shift.Dx, 0, 31);
                    target[(c * 1024) + (y * 32) + x] = source[(c * 1024) + (sy * 32) + sx];
                }
            }
        }
    }

    private static void Emit(ReadOnlySpan<float> image, bool pooled, Span<float> target)
    {
        if (!pooled)
        {
            image.CopyTo(target);
            return;
        }

        for (int c = 0; c < 3; c++)
        {
            for (int by = 0; by < 8; by++)
            {
                for (int bx = 0; bx < 8; bx++)
                {
                    float sum = 0;
                    for (int y = 0; y < 4; y++)
                    {
                        for (int x = 0; x < 4; x++)
                        {
                            sum += image[(c * 1024) + (((by * 4) + y) * 32) + (bx * 4) + x];
                        }
                    }

                    target[(c * 64) + (by * 8) + bx] = sum / 16f;
                }
            }
        }
    }

    private static float[] Read(IEnumerable<string> files)
    {
        var values = new List<float>();
        foreach (string file in files)
        {
            var bytes = File.ReadAllBytes(file);
            for (int r = 0; r < bytes.Length / 3073; r++)
            {
                for (int j = 1; j < 3073; j++)
                {
                    values.Add(bytes[(r * 3073) + j]);
                }
            }
        }

        return [.. values];
    }
}
