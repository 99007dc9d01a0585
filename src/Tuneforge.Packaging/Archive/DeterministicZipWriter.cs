using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using Tuneforge.Files;

namespace Tuneforge.Packaging.Archive;

/// <summary>
/// Writes a zip archive whose bytes depend only on the entries' paths and contents: entries sorted by path (ordinal),
/// every timestamp 1980-01-01 00:00 (the DOS epoch), "made by" Unix with permissions 0644, UTF-8 names, no extra
/// timestamps, deflate for text and stored for binary payloads, Zip64 records only where a size or offset needs them.
/// (System.IO.Compression stamps the writing OS into each entry, so the same inputs would differ between Linux and
/// Windows; this writer does not.) Written to a temporary file and renamed.
/// </summary>
public static class DeterministicZipWriter
{
    private const ushort DosDate1980 = (0 << 9) | (1 << 5) | 1;   // 1980-01-01
    private const ushort DosTime = 0;
    private const uint RegularFile0644 = 0x81A4u << 16;          // S_IFREG | rw-r--r-- in the high half
    private const ushort Utf8Names = 1 << 11;
    private const uint Overflow = 0xFFFFFFFF;

    /// <summary>Writes <paramref name="entries"/> to <paramref name="path"/>, sorted by path.</summary>
    public static void Write(string path, IEnumerable<ArchiveEntry> entries)
    {
        var sorted = entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
        var duplicate = sorted.Zip(sorted.Skip(1)).FirstOrDefault(p => p.First.Path == p.Second.Path);
        if (duplicate.First is not null) throw new ArgumentException($"'{duplicate.First.Path}' is in the archive twice");

        AtomicFile.Write(path, stream =>
        {
            var central = new List<CentralRecord>();
            foreach (var entry in sorted) central.Add(WriteEntry(stream, entry));
            WriteCentralDirectory(stream, central);
        });
    }

    private sealed record CentralRecord(byte[] Name, ushort Method, uint Crc, long Compressed, long Uncompressed, long Offset)
    {
        public bool NeedsZip64 => Compressed >= Overflow || Uncompressed >= Overflow || Offset >= Overflow;
    }

    private static CentralRecord WriteEntry(Stream output, ArchiveEntry entry)
    {
        var name = Encoding.UTF8.GetBytes(entry.Path);
        var offset = output.Position;
        var method = entry.IsStored ? (ushort)0 : (ushort)8;
        var crc = new Crc32();
        long uncompressed = 0;
        byte[]? deflated = null;
        using (var input = entry.Open())
        {
            var buffer = new byte[1 << 20];
            using var compressedBuffer = new MemoryStream();
            using (var deflate = method == 8 ? new DeflateStream(compressedBuffer, CompressionLevel.SmallestSize, leaveOpen: true) : null)
            {
                int read;
                while ((read = input.Read(buffer)) > 0)
                {
                    crc.Append(buffer.AsSpan(0, read));
                    deflate?.Write(buffer, 0, read);
                    uncompressed += read;
                }
            }
            if (method == 8) deflated = compressedBuffer.ToArray();
        }
        var compressed = deflated?.LongLength ?? uncompressed;
        var record = new CentralRecord(name, method, crc.GetCurrentHashAsUInt32(), compressed, uncompressed, offset);
        var zip64 = record.Compressed >= Overflow || record.Uncompressed >= Overflow;

        var header = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        header.Write(0x04034b50u);
        header.Write(zip64 ? (ushort)45 : (ushort)20);
        header.Write(Utf8Names);
        header.Write(method);
        header.Write(DosTime);
        header.Write(DosDate1980);
        header.Write(record.Crc);
        header.Write(zip64 ? Overflow : (uint)compressed);
        header.Write(zip64 ? Overflow : (uint)uncompressed);
        header.Write((ushort)name.Length);
        header.Write(zip64 ? (ushort)20 : (ushort)0);
        header.Write(name);
        if (zip64)
        {
            header.Write((ushort)0x0001);
            header.Write((ushort)16);
            header.Write(uncompressed);
            header.Write(compressed);
        }
        header.Flush();
        if (deflated is not null) output.Write(deflated);
        else
        {
            using var input = entry.Open();
            input.CopyTo(output, 1 << 20);
        }
        return record;
    }

    private static void WriteCentralDirectory(Stream output, List<CentralRecord> records)
    {
        var start = output.Position;
        var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        foreach (var record in records)
        {
            var zip64 = record.NeedsZip64;
            writer.Write(0x02014b50u);
            writer.Write((ushort)((3 << 8) | (zip64 ? 45 : 20)));   // made by: Unix, so the permissions are read
            writer.Write(zip64 ? (ushort)45 : (ushort)20);
            writer.Write(Utf8Names);
            writer.Write(record.Method);
            writer.Write(DosTime);
            writer.Write(DosDate1980);
            writer.Write(record.Crc);
            writer.Write(zip64 ? Overflow : (uint)record.Compressed);
            writer.Write(zip64 ? Overflow : (uint)record.Uncompressed);
            writer.Write((ushort)record.Name.Length);
            writer.Write(zip64 ? (ushort)28 : (ushort)0);
            writer.Write((ushort)0);          // comment
            writer.Write((ushort)0);          // disk
            writer.Write((ushort)0);          // internal attributes
            writer.Write(RegularFile0644);
            writer.Write(zip64 ? Overflow : (uint)record.Offset);
            writer.Write(record.Name);
            if (zip64)
            {
                writer.Write((ushort)0x0001);
                writer.Write((ushort)24);
                writer.Write(record.Uncompressed);
                writer.Write(record.Compressed);
                writer.Write(record.Offset);
            }
        }
        writer.Flush();
        var size = output.Position - start;
        var needsZip64End = records.Count >= 0xFFFF || size >= Overflow || start >= Overflow;
        if (needsZip64End)
        {
            var zip64End = output.Position;
            writer.Write(0x06064b50u);
            writer.Write(44L);
            writer.Write((ushort)((3 << 8) | 45));
            writer.Write((ushort)45);
            writer.Write(0u);
            writer.Write(0u);
            writer.Write((long)records.Count);
            writer.Write((long)records.Count);
            writer.Write(size);
            writer.Write(start);
            writer.Write(0x07064b50u);
            writer.Write(0u);
            writer.Write(zip64End);
            writer.Write(1u);
        }
        writer.Write(0x06054b50u);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write(needsZip64End ? (ushort)0xFFFF : (ushort)records.Count);
        writer.Write(needsZip64End ? (ushort)0xFFFF : (ushort)records.Count);
        writer.Write(needsZip64End ? Overflow : (uint)size);
        writer.Write(needsZip64End ? Overflow : (uint)start);
        writer.Write((ushort)0);
        writer.Flush();
    }
}
