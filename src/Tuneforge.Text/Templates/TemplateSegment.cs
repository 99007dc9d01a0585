namespace Tuneforge.Text;

/// <summary>A run of rendered text that is either all prompt (masked) or all trained.</summary>
/// <param name="Text">The text, control tokens written out.</param>
/// <param name="Trained">Whether the loss counts on its tokens.</param>
public sealed record TemplateSegment(string Text, bool Trained);
