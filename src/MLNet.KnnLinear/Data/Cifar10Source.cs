using System.Formats.Tar;
using System.IO.Compression;

namespace MLNet.KnnLinear.Data;

/// <summary>
/// Where CIFAR-10 records come from: batch files on disk (random access, so record ranges can be read in parallel)
/// or the official <c>cifar-10-binary.tar.gz</c> streamed through GZipStream and TarReader (sequential, never
/// extracted to disk). Record layout: 1 label byte (0..9), then 3,072 pixel bytes, planar R, G, B, each 32×32 row-major.
/// </summary>
internal abstract class Cifar10Source
{
    public const int RecordSize = 3073;
    public const int PixelCount = 3072;
    public const int ClassCount = 10;

    public static readonly string[] DefaultClassNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    public abstract string[] ClassNames { get; }

    /// <summary>The record count, when known without reading the data.</summary>
    public abstract long? RecordCount { get; }

    /// <summary>Opens a reader of records [first, first + count) (count null: to the end).</summary>
    public abstract IEnumerable<Record> Read(long first, long? count);

    public static Cifar10Source Open(string path, Cifar10Split split)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Enum.IsDefined(split))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "split must be Cifar10Split.Train or Cifar10Split.Test.");
        }

        if (Directory.Exists(path))
        {
            var names = BatchNames(split);
            var missing = names.Where(n => !File.Exists(Path.Combine(path, n))).ToArray();
            if (missing.Length > 0)
            {
                throw MissingBatches(path, split, missing);
            }

            return new FileSource(names.Select(n => Path.Combine(path, n)).ToArray(), ReadClassNames(Path.Combine(path, "batches.meta.txt")));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CIFAR-10 data not found at '{path}': expected a batch file, the cifar-10-batches-bin folder, or cifar-10-binary.tar.gz.", path);
        }

        return path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
            ? new ArchiveSource(path, split)
            : new FileSource([path], ReadClassNames(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "batches.meta.txt")));
    }

    /// <summary>The batch files of a split, in reading order.</summary>
    internal static string[] BatchNames(Cifar10Split split) => split == Cifar10Split.Train
        ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray()
        : ["test_batch.bin"];

    /// <summary>The same error for a folder and an archive that lack batches of the split.</summary>
    internal static FileNotFoundException MissingBatches(string path, Cifar10Split split, string[] missing)
        => new($"CIFAR-10 {split} batches missing from '{path}': {string.Join(", ", missing)}. Expected the cifar-10-batches-bin folder (or cifar-10-binary.tar.gz) of the binary version with all of {string.Join(", ", BatchNames(split))}; to read part of a split, pass one batch file.", path);

    private static string[] ReadClassNames(string metaFile)
        => File.Exists(metaFile) ? ParseClassNames(File.ReadAllText(metaFile)) : DefaultClassNames;

    internal static string[] ParseClassNames(string text)
    {
        var names = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return names.Length == ClassCount ? names : DefaultClassNames;
    }

    internal static InvalidDataException BadLabel(string file, long offset, byte label)
        => new($"CIFAR-10 file '{file}': label byte {label} at offset {offset} is not a class (0..9); the file is not in the CIFAR-10 binary format or is damaged.");

    /// <summary>One record: its 0-based class and its pixels (a buffer reused by the reader; copy what you keep).</summary>
    internal readonly record struct Record(byte Label, byte[] Pixels);

    private sealed class FileSource : Cifar10Source
    {
        private readonly (string Path, long Records)[] _files;

        public FileSource(string[] files, string[] classNames)
        {
            ClassNames = classNames;
            _files = files.Select(f =>
            {
                long length = new FileInfo(f).Length;
                if (length == 0)
                {
                    throw new InvalidDataException($"CIFAR-10 file '{f}' is empty; a batch holds at least one {RecordSize}-byte record.");
                }

                if (length % RecordSize != 0)
                {
                    throw new InvalidDataException($"CIFAR-10 file '{f}' has {length} bytes, not a whole number of {RecordSize}-byte records (a damaged or non-CIFAR file; the last record would start at offset {length / RecordSize * RecordSize}).");
                }

                return (f, length / RecordSize);
            }).ToArray();
        }

        public override string[] ClassNames { get; }

        public override long? RecordCount => _files.Sum(f => f.Records);

        public override IEnumerable<Record> Read(long first, long? count)
        {
            long end = count is long c ? first + c : RecordCount!.Value;
            long start = 0;
            var buffer = new byte[RecordSize];
            var pixels = new byte[PixelCount];
            foreach (var (path, records) in _files)
            {
                long fileEnd = start + records;
                if (fileEnd > first && start < end)
                {
                    long from = Math.Max(first, start) - start;
                    long to = Math.Min(end, fileEnd) - start;
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                    stream.Position = from * RecordSize;
                    for (long r = from; r < to; r++)
                    {
                        stream.ReadExactly(buffer);
                        if (buffer[0] >= ClassCount)
                        {
                            throw BadLabel(path, r * RecordSize, buffer[0]);
                        }

                        buffer.AsSpan(1).CopyTo(pixels);
                        yield return new Record(buffer[0], pixels);
                    }
                }

                start = fileEnd;
            }
        }
    }

    /// <summary>
    /// The official archive, streamed. Before any record is returned the whole archive is read once (see
    /// <see cref="Verify"/>): a gzip stream that stops early carries no integrity check, so a flipped bit in the
    /// compressed data would otherwise give different pixels without an error.
    /// </summary>
    private sealed class ArchiveSource : Cifar10Source
    {
        private readonly string _path;
        private readonly Cifar10Split _split;
        private readonly object _verifyLock = new();
        private (long Length, DateTime Written) _verified;
        private string[]? _classNames;

        public ArchiveSource(string path, Cifar10Split split)
        {
            _path = path;
            _split = split;
            EnsureVerified();
        }

        public override string[] ClassNames => _classNames ??= ReadMeta();

        public override long? RecordCount => null;

        public override IEnumerable<Record> Read(long first, long? count)
        {
            EnsureVerified();
            return ReadVerified(first, count);
        }

        /// <summary>
        /// Reads the archive to its end: the CRC-32 and length of everything decompressed must equal the gzip trailer
        /// (<see cref="GzipTrailer"/>: GZipStream stops quietly where a truncated file ends), and TarReader checks each
        /// header's checksum. Also checks that every batch of the split is present, non-empty
        /// and a whole number of records. Done when the source opens, and again only if the file has changed since.
        /// </summary>
        private void EnsureVerified()
        {
            var info = new FileInfo(_path);
            var stamp = (info.Length, info.LastWriteTimeUtc);
            lock (_verifyLock)
            {
                if (_verified == stamp)
                {
                    return;
                }

                Verify();
                _verified = stamp;
            }
        }

        private void Verify()
        {
            var lengths = new Dictionary<string, long>();
            try
            {
                using var file = File.OpenRead(_path);
                using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
                var counted = new GzipTrailer.Counting(gzip);
                using (var reader = new TarReader(counted, leaveOpen: true))
                {
                    TarEntry? entry;
                    while ((entry = reader.GetNextEntry()) is not null)
                    {
                        if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                        {
                            lengths[Path.GetFileName(entry.Name)] = entry.Length;
                        }
                    }
                }

                // The tar end marker may come before the gzip trailer; read on, then compare the CRC and length of
                // everything read with the trailer (GZipStream does not notice a file that ends early).
                counted.CopyTo(Stream.Null);
                GzipTrailer.Verify(_path, file, counted);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException or OverflowException)
            {
                // Damaged headers can surface from TarReader as any of these; all mean the same to the user.
                throw new InvalidDataException($"CIFAR-10 archive '{_path}' is damaged or not a .tar.gz (its gzip or tar integrity check failed): {e.Message}", e);
            }

            var names = BatchNames(_split);
            var missing = names.Where(n => !lengths.ContainsKey(n)).ToArray();
            if (missing.Length > 0)
            {
                throw MissingBatches(_path, _split, missing);
            }

            foreach (string name in names)
            {
                if (lengths[name] == 0 || lengths[name] % RecordSize != 0)
                {
                    throw new InvalidDataException($"CIFAR-10 archive '{_path}', entry '{name}' has {lengths[name]} bytes, not a whole, non-zero number of {RecordSize}-byte records.");
                }
            }
        }

        private IEnumerable<Record> ReadVerified(long first, long? count)
        {
            long end = count is long c ? first + c : long.MaxValue;
            long index = 0;
            var buffer = new byte[RecordSize];
            var pixels = new byte[PixelCount];
            string path = _path;

            // Tar order is not guaranteed: read the wanted batches in order, one pass over the archive per batch.
            foreach (string name in BatchNames(_split))
            {
                using var file = File.OpenRead(path);
                using var gzip = new GZipStream(file, CompressionMode.Decompress);
                TarReader reader;
                try
                {
                    reader = new TarReader(gzip);
                }
                catch (Exception e) when (e is InvalidDataException or FormatException)
                {
                    throw new InvalidDataException($"CIFAR-10 archive '{path}' is not a readable .tar.gz: {e.Message}", e);
                }

                using (reader)
                {
                    TarEntry? entry;
                    while ((entry = NextEntry(reader)) is not null)
                    {
                        if (Path.GetFileName(entry.Name) != name || entry.DataStream is null)
                        {
                            continue;
                        }

                        for (long r = 0; r < entry.Length / RecordSize && index < end; r++, index++)
                        {
                            try
                            {
                                entry.DataStream.ReadExactly(buffer);
                            }
                            catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
                            {
                                throw new InvalidDataException($"CIFAR-10 archive '{path}', entry '{entry.Name}' is damaged at offset {r * RecordSize}: {e.Message}", e);
                            }

                            if (index < first)
                            {
                                continue;
                            }

                            if (buffer[0] >= ClassCount)
                            {
                                throw BadLabel($"{path}:{entry.Name}", r * RecordSize, buffer[0]);
                            }

                            buffer.AsSpan(1).CopyTo(pixels);
                            yield return new Record(buffer[0], pixels);
                        }

                        break;
                    }
                }
            }
        }

        private TarEntry? NextEntry(TarReader reader)
        {
            try
            {
                return reader.GetNextEntry();
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new InvalidDataException($"CIFAR-10 archive '{_path}' is damaged: {e.Message}", e);
            }
        }

        private string[] ReadMeta()
        {
            using var file = File.OpenRead(_path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            TarEntry? entry;
            while ((entry = NextEntry(reader)) is not null)
            {
                if (Path.GetFileName(entry.Name) == "batches.meta.txt" && entry.DataStream is not null)
                {
                    using var text = new StreamReader(entry.DataStream);
                    return ParseClassNames(text.ReadToEnd());
                }
            }

            return DefaultClassNames;
        }
    }
}
