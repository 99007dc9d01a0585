using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Tuneforge.Data.Reading;

/// <summary>Checks that bytes are UTF-8 and turns byte offsets into 1-based character columns for messages.</summary>
internal static class Utf8Text
{
    public static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The offset of the first byte that is not valid UTF-8, or -1.</summary>
    public static int FindInvalid(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes)) return -1;
        var scratch = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(bytes[offset..], scratch, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData) return offset + read;
                if (status == OperationStatus.Done) return -1;
                offset += read;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    /// <summary>The 1-based column (in characters, as an editor counts) of a byte offset within one line.</summary>
    public static int Column(ReadOnlySpan<byte> line, int byteOffset)
    {
        var prefix = line[..Math.Min(byteOffset, line.Length)];
        var column = 1;
        while (!prefix.IsEmpty)
        {
            Rune.DecodeFromUtf8(prefix, out _, out var consumed);
            prefix = prefix[consumed..];
            column++;
        }
        return column;
    }

    public static string InvalidMessage(ReadOnlySpan<byte> bytes, int offset) =>
        $"not valid UTF-8 (byte 0x{bytes[offset]:X2}). Data files must be UTF-8; convert this one first, e.g. iconv -f GBK -t UTF-8 (for Chinese text saved as GBK).";

    /// <summary>A whole data file as UTF-8 bytes without the byte order mark, or the fatal record saying why it is not
    /// UTF-8 (with the line and column of the first bad byte).</summary>
    public static ReadOnlyMemory<byte> ReadFile(DataFile file, out RawRecord? fatal)
    {
        fatal = null;
        var all = File.ReadAllBytes(file.FullPath);
        if (WrongEncoding(all) is { } wrong)
        {
            fatal = RawRecord.Fatal(new Records.SourceLocation(file.DisplayPath, 1, 1), wrong);
            return default;
        }
        var skip = all.AsSpan().StartsWith(Bom) ? Bom.Length : 0;
        var bytes = new ReadOnlyMemory<byte>(all, skip, all.Length - skip);
        var invalid = FindInvalid(bytes.Span);
        if (invalid >= 0) fatal = RawRecord.Fatal(new LineIndex(bytes).Locate(file.DisplayPath, invalid), InvalidMessage(bytes.Span, invalid));
        return bytes;
    }

    /// <summary>A message for a file that starts with a UTF-16 or UTF-32 byte order mark, or null.</summary>
    public static string? WrongEncoding(ReadOnlySpan<byte> start) => start switch
    {
        [0xFF, 0xFE, 0, 0, ..] or [0, 0, 0xFE, 0xFF, ..] => "the file is UTF-32 (it starts with a UTF-32 byte order mark). Save it as UTF-8.",
        [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] => "the file is UTF-16 (it starts with a UTF-16 byte order mark). Save it as UTF-8.",
        _ => null,
    };
}
