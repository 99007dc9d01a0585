namespace Tuneforge.Text.Jinja;

/// <summary>The parser's cursor over the tokens, with errors that point at a token.</summary>
internal sealed class TokenStream(IReadOnlyList<Token> tokens, TemplateSource source)
{
    private int _index;

    public TemplateSource Source { get; } = source;

    public Token Current => tokens[_index];

    public Token Look(int ahead = 1) => tokens[Math.Min(_index + ahead, tokens.Count - 1)];

    public Token Next()
    {
        Token token = tokens[_index];
        if (_index < tokens.Count - 1)
        {
            _index++;
        }

        return token;
    }

    public bool SkipOperator(string op)
    {
        if (!Current.IsOperator(op))
        {
            return false;
        }

        Next();
        return true;
    }

    public bool SkipName(string name)
    {
        if (!Current.IsName(name))
        {
            return false;
        }

        Next();
        return true;
    }

    public Token ExpectOperator(string op, string context) =>
        Current.IsOperator(op) ? Next() : throw Fail(Current, $"expected '{op}' {context}, found {Current.Describe()}.");

    public Token ExpectName(string context) =>
        Current.Kind == TokenKind.Name ? Next() : throw Fail(Current, $"expected a name {context}, found {Current.Describe()}.");

    public void ExpectKeyword(string name, string context)
    {
        if (!SkipName(name))
        {
            throw Fail(Current, $"expected '{name}' {context}, found {Current.Describe()}.");
        }
    }

    public Token ExpectBlockEnd(string statement) =>
        Current.Kind == TokenKind.BlockEnd ? Next() : throw Fail(Current, $"expected '%}}' to end '{{% {statement} %}}', found {Current.Describe()}.");

    public ChatTemplateException Fail(Token at, string message) => new(Source.At(at.Offset, message));

    public ChatTemplateException Fail(int offset, string message) => new(Source.At(offset, message));
}
