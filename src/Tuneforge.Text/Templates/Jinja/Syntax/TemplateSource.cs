namespace Tuneforge.Text.Jinja;

/// <summary>A template's text, newlines normalized as Jinja2 does, with offsets turned into line:column for errors.</summary>
internal sealed class TemplateSource
{
    private readonly int[] _lineStarts;

    public TemplateSource(string text, string origin)
    {
        // Jinja2 reads \r\n and \r as \n, in text and in tags alike.
        Text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        Origin = origin;
        var starts = new List<int> { 0 };
        for (int i = 0; i < Text.Length; i++)
        {
            if (Text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public string Text { get; }

    /// <summary>Where the template came from, e.g. "data/tokenizers/qwen3/tokenizer_config.json chat_template".</summary>
    public string Origin { get; }

    public (int Line, int Column) Locate(int offset)
    {
        int index = Array.BinarySearch(_lineStarts, Math.Clamp(offset, 0, Text.Length));
        int line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - _lineStarts[line] + 1);
    }

    /// <summary>"origin:line:column: message".</summary>
    public string At(int offset, string message)
    {
        (int line, int column) = Locate(offset);
        return $"{Origin}:{line}:{column}: {message}";
    }
}
