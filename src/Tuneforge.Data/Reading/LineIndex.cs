using Tuneforge.Data.Records;

namespace Tuneforge.Data.Reading;

/// <summary>Offsets of line starts, to turn a byte offset into line:column.</summary>
internal sealed class LineIndex
{
    readonly List<int> starts = [0];
    readonly ReadOnlyMemory<byte> bytes;

    public LineIndex(ReadOnlyMemory<byte> bytes)
    {
        this.bytes = bytes;
        var span = bytes.Span;
        for (var i = span.IndexOf((byte)'\n'); i >= 0; i = NextNewline(span, i + 1)) starts.Add(i + 1);
    }

    static int NextNewline(ReadOnlySpan<byte> span, int from)
    {
        var next = span[from..].IndexOf((byte)'\n');
        return next < 0 ? -1 : from + next;
    }

    public SourceLocation Locate(string file, int offset)
    {
        var index = starts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        var lineBytes = bytes.Span[starts[line]..];
        return new SourceLocation(file, line + 1, Utf8Text.Column(lineBytes, offset - starts[line]));
    }

    public ReadOnlySpan<byte> Line(ReadOnlySpan<byte> bytes, int lineNumber)
    {
        var start = starts[Math.Clamp(lineNumber - 1, 0, starts.Count - 1)];
        var end = lineNumber < starts.Count ? starts[lineNumber] : bytes.Length;
        return bytes[start..end];
    }
}
