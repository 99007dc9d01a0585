using System.Text;

namespace Tuneforge.Text.Jinja;

/// <summary>Rendered text, and the character ranges written inside <c>{% generation %}</c> blocks.</summary>
internal sealed class RenderOutput
{
    private readonly StringBuilder _text = new();
    private readonly List<(int Start, int End)> _generation = [];
    private int _generationDepth;
    private int _generationStart;

    public void Append(string text) => _text.Append(text);

    public void BeginGeneration()
    {
        if (_generationDepth++ == 0)
        {
            _generationStart = _text.Length;
        }
    }

    public void EndGeneration()
    {
        if (--_generationDepth == 0 && _text.Length > _generationStart)
        {
            _generation.Add((_generationStart, _text.Length));
        }
    }

    public string Text => _text.ToString();

    public IReadOnlyList<(int Start, int End)> GenerationSpans => _generation;
}
