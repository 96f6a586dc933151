using System.Runtime.CompilerServices;
using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Lays byte rows (raw pixels) out for <see cref="BytePanelScan"/> as they arrive, one at a time: each row's exact
/// squared norm is taken while the row is in cache, and the row waits in a 16-row staging buffer (one panel, 48 KiB
/// for CIFAR) until a whole panel is laid out at once (<see cref="BytePanels.AppendPanel"/>); a part panel goes in row
/// by row when the rows are read (<see cref="Panels"/>, <see cref="Build"/>). Only an index expecting at least
/// <see cref="StagingRows"/> rows stages (a fit, a large Add): an inverted file's thousands of small lists each go row
/// by row, so one panel of staging a list never costs more than 1/64 of what the list holds.
/// </summary>
internal sealed class BytePanelScanBuilder(int dimension, bool cosine, long expectedRows, long chunkBytes = BytePanels.ChunkBytes)
{
    private readonly BytePanels _panels = new(dimension, expectedRows, chunkBytes);
    private readonly GrowableArray<double> _norms = new(Math.Max(1, expectedRows));
    private byte[]? _staged = expectedRows >= StagingRows ? NewStaging(dimension) : null;
    private int _stagedRows;

    /// <summary>The rows an index must expect to stage whole panels: 64 panels.</summary>
    public const long StagingRows = 64L * BytePanels.PanelRows;

    public int Count => _panels.Count + _stagedRows;

    /// <summary>Every row appended so far, laid out (staged rows included).</summary>
    public BytePanels Panels
    {
        get
        {
            LayOutStaged();
            return _panels;
        }
    }

    /// <summary>Expects <paramref name="rows"/> more rows (one allocation at their size instead of doubling).</summary>
    public void Reserve(long rows)
    {
        _panels.Reserve(rows + _stagedRows);
        if (rows >= StagingRows)
        {
            _staged ??= NewStaging(dimension);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<byte> row)
    {
        if (Count == int.MaxValue)
        {
            throw new InvalidOperationException($"An exact index holds at most {int.MaxValue} rows.");
        }

        long squared = ByteSquaredNorm.Compute(row);
        _norms.Append(1)[0] = cosine ? Math.Sqrt(squared) : squared;
        if (_staged is null)
        {
            _panels.Append(row);
            return;
        }

        row.CopyTo(_staged.AsSpan(_stagedRows * dimension, dimension));
        _stagedRows++;
        if ((_panels.Count + _stagedRows) % BytePanels.PanelRows == 0)
        {
            // The staged rows end a panel (a whole one unless a read laid out a part panel before).
            LayOutStaged();
        }
    }

    public BytePanelScan Build()
    {
        LayOutStaged();
        _panels.Trim();
        return new BytePanelScan(_panels, _norms.ToArray(), cosine);
    }

    /// <summary>The staged rows into the panels: a whole panel at once where the panels end on a whole panel, else row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    private void LayOutStaged()
    {
        if (_stagedRows == BytePanels.PanelRows && _panels.Count % BytePanels.PanelRows == 0)
        {
            _panels.AppendPanel(_staged!);
        }
        else
        {
            for (int r = 0; r < _stagedRows; r++)
            {
                _panels.Append(_staged!.AsSpan(r * dimension, dimension));
            }
        }

        _stagedRows = 0;
    }

    private static byte[] NewStaging(int dimension) => new byte[checked(BytePanels.PanelRows * dimension)];
}
