using System.Text;

namespace Tuneforge.Text.Jinja;

/// <summary>
/// Splits a template into tokens as Jinja2's lexer does with transformers' settings: <c>trim_blocks</c> and
/// <c>lstrip_blocks</c> on, <c>{%-</c>/<c>-%}</c> whitespace control, <c>{%+</c>/<c>+%}</c> to opt out, comments
/// dropped, <c>{% raw %}</c> kept as text, and the template's one trailing newline removed.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] TwoCharOperators = ["//", "**", "==", "!=", ">=", "<="];
    private const string OneCharOperators = "+-/*%~[](){}><=.:|,;";

    private readonly TemplateSource _source;
    private readonly string _text;
    private readonly int _length;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private bool _lineStarting = true;

    private Lexer(TemplateSource source)
    {
        _source = source;
        _text = source.Text;
        _length = _text.EndsWith('\n') ? _text.Length - 1 : _text.Length;
    }

    public static IReadOnlyList<Token> Tokenize(TemplateSource source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (_pos < _length)
        {
            int open = NextOpening(_pos);
            if (open < 0)
            {
                _tokens.Add(new Token(TokenKind.Text, _text[_pos.._length], _pos));
                break;
            }

            char kind = _text[open + 1];
            char sign = open + 2 < _length && _text[open + 2] is '-' or '+' ? _text[open + 2] : '\0';
            string text = _text[_pos..open];
            if (sign == '-')
            {
                text = PyText.RStrip(text);
            }
            else if (sign != '+' && kind != '{')
            {
                text = LStripBlock(text);
            }

            if (text.Length > 0)
            {
                _tokens.Add(new Token(TokenKind.Text, text, _pos));
            }

            int afterOpen = open + 2 + (sign == '\0' ? 0 : 1);
            if (kind == '%' && TryRaw(open, afterOpen))
            {
                continue;
            }

            switch (kind)
            {
                case '#':
                    SkipComment(open, afterOpen);
                    break;
                case '%':
                    _tokens.Add(new Token(TokenKind.BlockBegin, "{%", open));
                    LexTag(open, afterOpen, block: true);
                    break;
                default:
                    _tokens.Add(new Token(TokenKind.VariableBegin, "{{", open));
                    LexTag(open, afterOpen, block: false);
                    break;
            }
        }

        _tokens.Add(new Token(TokenKind.End, "", _length));
    }

    private int NextOpening(int from)
    {
        for (int i = _text.IndexOf('{', from); i >= 0 && i + 1 < _length; i = _text.IndexOf('{', i + 1))
        {
            if (_text[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    // lstrip_blocks: spaces before a block or comment tag are dropped when only whitespace precedes it on its line.
    private string LStripBlock(string text)
    {
        int lineStart = text.LastIndexOf('\n') + 1;
        if ((lineStart > 0 || _lineStarting) && lineStart < text.Length && PyText.IsAllSpace(text.AsSpan(lineStart)))
        {
            return text[..lineStart];
        }

        return text;
    }

    private bool TryRaw(int open, int afterOpen)
    {
        int p = SkipSpace(afterOpen);
        if (!At(p, "raw") || (p + 3 < _length && PyText.IsNameChar(_text[p + 3])))
        {
            return false;
        }

        p = SkipSpace(p + 3);
        if (At(p, "-%}"))
        {
            p = SkipSpace(p + 3);
        }
        else if (At(p, "%}"))
        {
            p += 2;
        }
        else
        {
            return false;
        }

        for (int end = _text.IndexOf("{%", p, StringComparison.Ordinal); end >= 0 && end < _length; end = _text.IndexOf("{%", end + 1, StringComparison.Ordinal))
        {
            char sign = end + 2 < _length && _text[end + 2] is '-' or '+' ? _text[end + 2] : '\0';
            int q = SkipSpace(end + 2 + (sign == '\0' ? 0 : 1));
            if (!At(q, "endraw"))
            {
                continue;
            }

            int close = SkipSpace(q + 6);
            if (EndOfBlock(close) is not { } after)
            {
                continue;
            }

            string content = _text[p..end];
            content = sign == '-' ? PyText.RStrip(content) : sign == '+' ? content : LStripBlock(content);
            if (content.Length > 0)
            {
                _tokens.Add(new Token(TokenKind.Text, content, p));
            }

            _pos = after;
            _lineStarting = _text[after - 1] == '\n';
            return true;
        }

        throw Error(open, "'{% raw %}' is never closed by '{% endraw %}'.");
    }

    private void SkipComment(int open, int from)
    {
        for (int p = from; p < _length; p++)
        {
            int after;
            if (At(p, "+#}"))
            {
                after = p + 3;
            }
            else if (At(p, "-#}"))
            {
                after = SkipSpace(p + 3);
            }
            else if (At(p, "#}"))
            {
                after = p + 2 < _length && _text[p + 2] == '\n' ? p + 3 : p + 2;
            }
            else
            {
                continue;
            }

            _pos = after;
            _lineStarting = _text[after - 1] == '\n';
            return;
        }

        throw Error(open, "the comment '{#' is never closed by '#}'.");
    }

    // The end of a block tag at p ('+%}', '-%}' then whitespace, or '%}' then one newline), or null.
    private int? EndOfBlock(int p)
    {
        if (At(p, "+%}"))
        {
            return p + 3;
        }

        if (At(p, "-%}"))
        {
            return SkipSpace(p + 3);
        }

        if (At(p, "%}"))
        {
            return p + 2 < _length && _text[p + 2] == '\n' ? p + 3 : p + 2;
        }

        return null;
    }

    private int? EndOfVariable(int p)
    {
        if (At(p, "-}}"))
        {
            return SkipSpace(p + 3);
        }

        return At(p, "}}") ? p + 2 : null;
    }

    private void LexTag(int open, int from, bool block)
    {
        var brackets = new Stack<(char Close, int Offset)>();
        int p = from;
        while (true)
        {
            if (p >= _length)
            {
                throw Error(open, block
                    ? "the tag '{%' is never closed by '%}'."
                    : "the expression '{{' is never closed by '}}'.");
            }

            if (brackets.Count == 0 && (block ? EndOfBlock(p) : EndOfVariable(p)) is { } after)
            {
                _tokens.Add(new Token(block ? TokenKind.BlockEnd : TokenKind.VariableEnd, block ? "%}" : "}}", p));
                _pos = after;
                _lineStarting = _text[after - 1] == '\n';
                return;
            }

            char c = _text[p];
            if (PyText.IsSpace(c))
            {
                p++;
            }
            else if (char.IsAsciiDigit(c))
            {
                p = LexNumber(p);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                int start = p;
                while (p < _length && PyText.IsNameChar(_text[p]))
                {
                    p++;
                }

                _tokens.Add(new Token(TokenKind.Name, _text[start..p], start));
            }
            else if (c is '\'' or '"')
            {
                p = LexString(p);
            }
            else
            {
                p = LexOperator(p, brackets);
            }
        }
    }

    private int LexNumber(int start)
    {
        int p = start;
        if (_text[p] == '0' && p + 1 < _length && char.ToLowerInvariant(_text[p + 1]) is 'x' or 'o' or 'b')
        {
            int radix = char.ToLowerInvariant(_text[p + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            p += 2;
            int digitsStart = p;
            while (p < _length && (_text[p] == '_' || Uri.IsHexDigit(_text[p])))
            {
                p++;
            }

            string digits = _text[digitsStart..p].Replace("_", "", StringComparison.Ordinal);
            long value = digits.Length == 0 ? throw Error(start, $"'{_text[start..p]}' is not a number.") : Convert.ToInt64(digits, radix);
            _tokens.Add(new Token(TokenKind.Integer, value.ToString(System.Globalization.CultureInfo.InvariantCulture), start));
            return p;
        }

        p = Digits(p);
        bool isFloat = false;
        bool afterDot = start > 0 && _text[start - 1] == '.';
        if (!afterDot && p + 1 < _length && _text[p] == '.' && char.IsAsciiDigit(_text[p + 1]))
        {
            p = Digits(p + 1);
            isFloat = true;
        }

        if (!afterDot && p < _length && _text[p] is 'e' or 'E')
        {
            int q = p + 1;
            if (q < _length && _text[q] is '+' or '-')
            {
                q++;
            }

            if (q < _length && char.IsAsciiDigit(_text[q]))
            {
                p = Digits(q);
                isFloat = true;
            }
        }

        string number = _text[start..p].Replace("_", "", StringComparison.Ordinal);
        _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, number, start));
        return p;
    }

    private int Digits(int p)
    {
        while (p < _length && (char.IsAsciiDigit(_text[p]) || (_text[p] == '_' && p + 1 < _length && char.IsAsciiDigit(_text[p + 1]))))
        {
            p++;
        }

        return p;
    }

    private int LexString(int start)
    {
        char quote = _text[start];
        int p = start + 1;
        while (p < _length && _text[p] != quote)
        {
            p += _text[p] == '\\' ? 2 : 1;
        }

        if (p >= _length)
        {
            throw Error(start, "the string is never closed by its quote.");
        }

        try
        {
            _tokens.Add(new Token(TokenKind.String, PyText.DecodeEscapes(_text[(start + 1)..p]), start));
        }
        catch (JinjaRuntimeException e)
        {
            throw Error(start, e.Message);
        }

        return p + 1;
    }

    private int LexOperator(int p, Stack<(char Close, int Offset)> brackets)
    {
        foreach (string op in TwoCharOperators)
        {
            if (At(p, op))
            {
                _tokens.Add(new Token(TokenKind.Operator, op, p));
                return p + 2;
            }
        }

        char c = _text[p];
        if (!OneCharOperators.Contains(c, StringComparison.Ordinal))
        {
            throw Error(p, $"unexpected character '{c}' in a tag.");
        }

        switch (c)
        {
            case '(': brackets.Push((')', p)); break;
            case '[': brackets.Push((']', p)); break;
            case '{': brackets.Push(('}', p)); break;
            case ')' or ']' or '}':
                if (brackets.Count == 0 || brackets.Peek().Close != c)
                {
                    throw Error(p, brackets.Count == 0 ? $"unexpected '{c}'." : $"unexpected '{c}', expected '{brackets.Peek().Close}'.");
                }

                brackets.Pop();
                break;
        }

        _tokens.Add(new Token(TokenKind.Operator, c.ToString(), p));
        return p + 1;
    }

    private int SkipSpace(int p)
    {
        while (p < _length && PyText.IsSpace(_text[p]))
        {
            p++;
        }

        return p;
    }

    private bool At(int p, string s) => p + s.Length <= _length && string.CompareOrdinal(_text, p, s, 0, s.Length) == 0;

    private ChatTemplateException Error(int offset, string message) => new(_source.At(offset, message));
}
