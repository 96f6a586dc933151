using System.IO.MemoryMappedFiles;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// A file mapped read-only into the address space (faiss' <c>IO_FLAG_MMAP</c>): stores over it
/// (<see cref="RowStore{T}.OverFile"/>) read their rows from the file's pages, which the operating system loads on
/// first touch and may drop again under memory pressure, so the rows take no managed heap and no private memory. The
/// mapping lives as long as the stores that read it (they hold this object); the finalizer unmaps it.
/// </summary>
internal sealed unsafe class MappedFile
{
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _start;
    private readonly bool _pointerHeld;
    private bool _released;

    /// <param name="path">The file, opened read-only and shared for reading (it may be deleted while mapped on Linux).</param>
    public MappedFile(string path)
    {
        Length = new FileInfo(path).Length;
        if (Length == 0)
        {
            GC.SuppressFinalize(this);
            throw new InvalidDataException($"{path}: the file is empty.");
        }

        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* start = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        _pointerHeld = true;
        _start = start + _view.PointerOffset;
        Path = path;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The byte at <paramref name="offset"/> in the file (valid while this object lives).</summary>
    public byte* At(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, Length);
        return _start + offset;
    }

    /// <summary>Unmaps the file now (a load that failed, or kept nothing mapped); no store may read it afterwards.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    ~MappedFile() => Release();

    private void Release()
    {
        // A constructor that threw part-way leaves some of these unset: only what was made is released.
        if (_pointerHeld && !_released)
        {
            _view!.SafeMemoryMappedViewHandle.ReleasePointer();
        }

        _released = true;

        _view?.Dispose();
        _file?.Dispose();
    }
}
