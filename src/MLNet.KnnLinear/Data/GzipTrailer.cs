using System.Buffers.Binary;
using System.IO.Hashing;

namespace MLNet.KnnLinear.Data;

/// <summary>
/// The check GZipStream leaves out: .NET's GZipStream returns what it could decompress and reports no error when the
/// file ends early (a download cut short, the last bytes or the trailer missing). A gzip file ends with the CRC-32
/// and the length (mod 2^32) of its data; <see cref="Counting"/> measures both while the data are read, and
/// <see cref="Verify"/> compares them with the file's last 8 bytes. Written for a single-member gzip file, which is
/// what gzip, tar and the official CIFAR-10 archive produce.
/// </summary>
internal static class GzipTrailer
{
    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="path"/> unless its trailer matches what was read.</summary>
    public static void Verify(string path, Stream file, Counting read)
    {
        Span<byte> trailer = stackalloc byte[8];
        if (file.Length < 18)
        {
            throw new InvalidDataException($"CIFAR-10 archive '{path}' has {file.Length} bytes, fewer than a gzip header and trailer (truncated?).");
        }

        file.Seek(-8, SeekOrigin.End);
        file.ReadExactly(trailer);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != read.Crc || length != (uint)read.BytesRead)
        {
            throw new InvalidDataException(
                $"CIFAR-10 archive '{path}' ends early or is damaged (truncated?): its last 8 bytes, the gzip trailer, give CRC-32 {crc:x8} "
                + $"and length {length} (mod 2^32), but its data decompress to {read.BytesRead} bytes with CRC-32 {read.Crc:x8}.");
        }
    }

    /// <summary>A read-only pass-through stream that keeps the CRC-32 and the count of the bytes read through it.</summary>
    internal sealed class Counting(Stream inner) : Stream
    {
        private readonly Crc32 _crc = new();

        public long BytesRead { get; private set; }

        public uint Crc => _crc.GetCurrentHashAsUInt32();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            _crc.Append(buffer[..n]);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
