using System.Text;

namespace Tuneforge.Text;

/// <summary>Collects rendered text into runs of prompt and trained text.</summary>
internal sealed class SegmentWriter
{
    private readonly List<TemplateSegment> _segments = [];
    private readonly StringBuilder _current = new();
    private bool _currentTrained;

    public void Prompt(string text) => Write(text, trained: false);

    public void Trained(string text) => Write(text, trained: true);

    public IReadOnlyList<TemplateSegment> Finish()
    {
        if (_current.Length > 0)
        {
            _segments.Add(new TemplateSegment(_current.ToString(), _currentTrained));
            _current.Clear();
        }

        return _segments;
    }

    private void Write(string text, bool trained)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (trained != _currentTrained && _current.Length > 0)
        {
            _segments.Add(new TemplateSegment(_current.ToString(), _currentTrained));
            _current.Clear();
        }

        _currentTrained = trained;
        _current.Append(text);
    }
}
