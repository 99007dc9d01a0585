namespace Tuneforge.Text.Jinja;

/// <summary>What a rendering produced: the text and the ranges written inside <c>{% generation %}</c> blocks.</summary>
internal sealed record JinjaRendering(string Text, IReadOnlyList<(int Start, int End)> GenerationSpans);

/// <summary>
/// A parsed and checked Jinja template, rendered as Python's Jinja2 renders it under transformers' settings.
/// Parsing and checking happen in <see cref="Parse"/>, so an unsupported construct fails there.
/// </summary>
internal sealed class JinjaTemplate
{
    private readonly TemplateSource _source;
    private readonly IReadOnlyList<Node> _body;
    private readonly Func<DateTime> _clock;

    private JinjaTemplate(TemplateSource source, IReadOnlyList<Node> body, Func<DateTime> clock)
    {
        _source = source;
        _body = body;
        _clock = clock;
    }

    /// <summary>True when the template marks assistant text with <c>{% generation %}</c> (TRL's assistant masks).</summary>
    public bool HasGenerationBlocks => SyntaxWalk.Statements(_body).Any(n => n is GenerationNode);

    /// <exception cref="ChatTemplateException">The template does not parse, or uses a statement, filter, test, method or function the renderer lacks.</exception>
    public static JinjaTemplate Parse(string text, string origin, Func<DateTime>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var source = new TemplateSource(text, origin);
        IReadOnlyList<Node> body = Parser.Parse(source);
        TemplateValidator.Check(body, source);
        return new JinjaTemplate(source, body, clock ?? (() => DateTime.Now));
    }

    /// <exception cref="ChatTemplateException">Rendering failed: the template raised an error, or an operation had no meaning for its values.</exception>
    public JinjaRendering Render(IEnumerable<KeyValuePair<string, object?>> variables)
    {
        var context = new Scope(Globals.Create(_clock));
        foreach ((string name, object? value) in variables)
        {
            context.Set(name, value);
        }

        var output = new RenderOutput();
        try
        {
            new Evaluator(_source).Render(_body, new Scope(context), output);
        }
        catch (JinjaRuntimeException e)
        {
            string message = e.RaisedByTemplate ? $"the template raised an error: {e.Message}" : $"{e.Message} (while rendering)";
            throw new ChatTemplateException(_source.At(e.Offset ?? 0, message));
        }
        catch (InsufficientExecutionStackException)
        {
            throw new ChatTemplateException($"{_source.Origin}: the template recurses too deeply (a macro calling itself without end?).");
        }

        return new JinjaRendering(output.Text, output.GenerationSpans);
    }
}
