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
        if (Directory.Exists(path))
        {
            var names = split == Cifar10Split.Train
                ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray()
                : ["test_batch.bin"];
            var files = names.Select(n => Path.Combine(path, n)).Where(File.Exists).ToArray();
            if (files.Length == 0)
            {
                throw new FileNotFoundException($"No CIFAR-10 {split} batches ({string.Join(", ", names)}) in '{path}'. Expected the extracted cifar-10-batches-bin folder of the binary version.", path);
            }

            return new FileSource(files, ReadClassNames(Path.Combine(path, "batches.meta.txt")));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CIFAR-10 data not found at '{path}': expected a batch file, the cifar-10-batches-bin folder, or cifar-10-binary.tar.gz.", path);
        }

        return path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
            ? new ArchiveSource(path, split)
            : new FileSource([path], ReadClassNames(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "batches.meta.txt")));
    }

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

    private sealed class ArchiveSource(string path, Cifar10Split split) : Cifar10Source
    {
        private string[]? _classNames;

        public override string[] ClassNames => _classNames ??= ReadMeta();

        public override long? RecordCount => null;

        public override IEnumerable<Record> Read(long first, long? count)
        {
            long end = count is long c ? first + c : long.MaxValue;
            long index = 0;
            var buffer = new byte[RecordSize];
            var pixels = new byte[PixelCount];
            var wanted = split == Cifar10Split.Train
                ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToList()
                : ["test_batch.bin"];

            // Tar order is not guaranteed: read the wanted batches in order, one pass over the archive per batch.
            foreach (string name in wanted)
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

                        if (entry.Length % RecordSize != 0)
                        {
                            throw new InvalidDataException($"CIFAR-10 archive '{path}', entry '{entry.Name}' has {entry.Length} bytes, not a whole number of {RecordSize}-byte records.");
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
                throw new InvalidDataException($"CIFAR-10 archive '{path}' is damaged: {e.Message}", e);
            }
        }

        private string[] ReadMeta()
        {
            using var file = File.OpenRead(path);
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
