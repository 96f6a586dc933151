namespace MLNet.KnnLinear.Search;

/// <summary>
/// Panels of one fixed size in chunks of native memory: what byte panels (<see cref="BytePanels"/>) and float panels
/// (<see cref="FloatPanels"/>) are stored in, so neither is bound by one array's 2^31 elements and a search can hold
/// raw pointers into them. A chunk holds at most a set number of bytes (whole panels, at least one); the first chunk
/// is sized by the panels expected and grows by a quarter when more come (an inverted list grows a row at a time),
/// later chunks are whole. Chunks of 2 MiB or more are huge pages where Linux allows (<see cref="ZeroedPages"/>). New
/// bytes are zero (padding rows read as 0). The GC is told the bytes held (memory pressure); the finalizer frees them.
/// All sizes are 64-bit. Growing is not thread-safe; reading is. Chunks can also be a mapped file's pages
/// (<see cref="OverFile"/>): read-only, counted in <see cref="MemoryBytes"/>, and never freed here.
/// </summary>
internal sealed unsafe class NativePanelChunks
{
    private readonly List<(nint Start, long Bytes, bool Mapped)> _chunks = [];
    private readonly int _panelsPerChunk;
    private long _expectedPanels;

    /// <summary>The file the chunks lie in when they are a mapped file's pages (read-only, not freed here); null when they are this store's own.</summary>
    private readonly MappedFile? _file;

    /// <param name="panelBytes">Bytes of one panel.</param>
    /// <param name="expectedPanels">Panels expected (sizes the first chunk; more or fewer still work).</param>
    /// <param name="chunkBytes">The most bytes a chunk holds.</param>
    public NativePanelChunks(long panelBytes, long expectedPanels, long chunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(panelBytes, 1);
        PanelBytes = panelBytes;
        _panelsPerChunk = (int)Math.Clamp(chunkBytes / panelBytes, 1, Math.Max(1, Array.MaxLength / panelBytes));
        _expectedPanels = Math.Max(0, expectedPanels);
    }

    /// <summary>
    /// Panels that lie in a mapped file from <paramref name="offset"/> on, one after another: read-only chunks of the
    /// file's pages (no copy; nothing allocated but the chunk list).
    /// </summary>
    public static NativePanelChunks OverFile(MappedFile file, long offset, long panelBytes, int panels, long chunkBytes)
    {
        var chunks = new NativePanelChunks(panelBytes, panels, chunkBytes, file);
        long end = checked(offset + (panels * panelBytes));
        if (end > file.Length)
        {
            throw new InvalidDataException($"{file.Path}: {panels} panels of {panelBytes} bytes from byte {offset} end past the file's {file.Length} bytes.");
        }

        for (long first = 0; first < panels; first += chunks._panelsPerChunk)
        {
            long bytes = Math.Min(chunks._panelsPerChunk, panels - first) * panelBytes;
            chunks._chunks.Add(((nint)file.At(offset + (first * panelBytes)), bytes, false));
            chunks.MemoryBytes += bytes;
        }

        return chunks;
    }

    private NativePanelChunks(long panelBytes, long expectedPanels, long chunkBytes, MappedFile file)
        : this(panelBytes, expectedPanels, chunkBytes)
        => _file = file;

    /// <summary>Whether the panels are a mapped file's pages (read-only).</summary>
    public bool IsMapped => _file is not null;

    public long PanelBytes { get; }

    /// <summary>Panels a chunk holds (whole chunks; the first and last may hold fewer).</summary>
    public int PanelsPerChunk => _panelsPerChunk;

    /// <summary>Bytes held, unused panels included.</summary>
    public long MemoryBytes { get; private set; }

    /// <summary>Expects <paramref name="panels"/> panels in all, so the chunks they need are allocated once at their size.</summary>
    public void Reserve(long panels) => _expectedPanels = Math.Max(_expectedPanels, panels);

    /// <summary>The first byte of panel <paramref name="panel"/> (valid while this store lives and nothing grows).</summary>
    public byte* Panel(int panel)
        => (byte*)_chunks[panel / _panelsPerChunk].Start + ((panel % _panelsPerChunk) * PanelBytes);

    /// <summary>Makes room for panel <paramref name="panel"/> (the panels before it have room already): a new chunk, or a short chunk grown.</summary>
    public void Ensure(int panel)
    {
        if (_file is not null)
        {
            throw new InvalidOperationException($"These rows are read from the memory-mapped file {_file.Path}, which is read-only: load it without memoryMapped to add rows.");
        }

        int chunk = panel / _panelsPerChunk;
        int panelsNeeded = (panel % _panelsPerChunk) + 1;
        if (chunk == _chunks.Count)
        {
            // Past the first chunk a store is large: whole chunks, no regrowth (the last is trimmed when laid out).
            long expected = _expectedPanels - ((long)chunk * _panelsPerChunk);
            _chunks.Add((0, 0, false));
            Resize(chunk, (chunk > 0 ? _panelsPerChunk : Math.Clamp(expected, panelsNeeded, _panelsPerChunk)) * PanelBytes);
            return;
        }

        long held = _chunks[chunk].Bytes / PanelBytes;
        if (held < panelsNeeded)
        {
            // Growing by a quarter keeps a row-at-a-time store (an inverted list) within 1.25× its rows while it grows,
            // and realloc often grows in place; a chunk past the first (trimmed, then added to) grows back to whole.
            long target = chunk > 0 ? _panelsPerChunk : Math.Max(held + (held / 4) + 1, _expectedPanels);
            Resize(chunk, Math.Clamp(target, panelsNeeded, _panelsPerChunk) * PanelBytes);
        }
    }

    /// <summary>Gives back what lies past the first <paramref name="panelsUsed"/> panels in the last chunk.</summary>
    public void Trim(int panelsUsed)
    {
        if (_chunks.Count == 0 || _file is not null)
        {
            return;
        }

        long used = (panelsUsed - ((long)(_chunks.Count - 1) * _panelsPerChunk)) * PanelBytes;
        if (used > 0 && used < _chunks[^1].Bytes)
        {
            Resize(_chunks.Count - 1, used);
        }
    }

    /// <summary>Chunk <paramref name="chunk"/> reallocated to <paramref name="bytes"/>, its contents kept and any new bytes zero.</summary>
    private void Resize(int chunk, long bytes)
    {
        var (start, held, mapped) = _chunks[chunk];

        // Fresh pages are zero already (calloc, or an anonymous mapping), so a large chunk is not written twice.
        nint moved = start == 0
            ? ZeroedPages.Allocate(bytes, out mapped)
            : ZeroedPages.Resize(start, held, bytes, ref mapped);
        if (bytes > held)
        {
            GC.AddMemoryPressure(bytes - held);
        }
        else if (held > bytes)
        {
            GC.RemoveMemoryPressure(held - bytes);
        }

        _chunks[chunk] = (moved, bytes, mapped);
        MemoryBytes += bytes - held;
    }

    ~NativePanelChunks()
    {
        if (_file is not null)
        {
            return;   // the file's pages: unmapped by the file's own finalizer once no store reads them
        }

        foreach (var (start, bytes, mapped) in _chunks)
        {
            ZeroedPages.Free(start, bytes, mapped);
            if (bytes > 0)
            {
                GC.RemoveMemoryPressure(bytes);
            }
        }
    }
}
