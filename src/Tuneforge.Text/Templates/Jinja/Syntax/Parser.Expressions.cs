using System.Globalization;

namespace Tuneforge.Text.Jinja;

/// <summary>Expressions, with Jinja2's precedence: conditional, or, and, not, comparisons, + -, ~, * / // %, **, unary, postfix and filters/tests.</summary>
internal sealed partial class Parser
{
    private static readonly HashSet<string> CompareOperators = ["==", "!=", "<", "<=", ">", ">="];

    private Expr ParseTuple(bool simplified = false, bool withCondExpr = true, string? endName = null, bool explicitParentheses = false)
    {
        Token start = _tokens.Current;
        var items = new List<Expr>();
        bool isTuple = false;
        while (true)
        {
            if (items.Count > 0)
            {
                _tokens.ExpectOperator(",", "between the items of a tuple");
            }

            if (IsTupleEnd(endName))
            {
                break;
            }

            items.Add(simplified ? ParsePrimary() : withCondExpr ? ParseExpression() : ParseOr());
            if (_tokens.Current.IsOperator(","))
            {
                isTuple = true;
            }
            else
            {
                break;
            }
        }

        if (!isTuple)
        {
            if (items.Count > 0)
            {
                return items[0];
            }

            if (!explicitParentheses)
            {
                throw _tokens.Fail(_tokens.Current, $"expected an expression, found {_tokens.Current.Describe()}.");
            }
        }

        return new TupleExpr(start.Offset, items);
    }

    private bool IsTupleEnd(string? endName)
    {
        Token current = _tokens.Current;
        return current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd or TokenKind.End
            || current.IsOperator(")")
            || (endName is not null && current.IsName(endName));
    }

    private Expr ParseExpression()
    {
        Expr expr = ParseOr();
        while (_tokens.Current.IsName("if"))
        {
            Token at = _tokens.Next();
            Expr test = ParseOr();
            Expr? otherwise = _tokens.SkipName("else") ? ParseExpression() : null;
            expr = new CondExpr(at.Offset, test, expr, otherwise);
        }

        return expr;
    }

    private Expr ParseOr()
    {
        Expr left = ParseAnd();
        while (_tokens.Current.IsName("or"))
        {
            Token at = _tokens.Next();
            left = new BinaryExpr(at.Offset, "or", left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        Expr left = ParseNot();
        while (_tokens.Current.IsName("and"))
        {
            Token at = _tokens.Next();
            left = new BinaryExpr(at.Offset, "and", left, ParseNot());
        }

        return left;
    }

    private Expr ParseNot()
    {
        if (_tokens.Current.IsName("not"))
        {
            Token at = _tokens.Next();
            return new UnaryExpr(at.Offset, "not", ParseNot());
        }

        return ParseCompare();
    }

    private Expr ParseCompare()
    {
        Token start = _tokens.Current;
        Expr first = ParseMath1();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            Token current = _tokens.Current;
            if (current.Kind == TokenKind.Operator && CompareOperators.Contains(current.Value))
            {
                _tokens.Next();
                rest.Add((current.Value, ParseMath1()));
            }
            else if (current.IsName("in"))
            {
                _tokens.Next();
                rest.Add(("in", ParseMath1()));
            }
            else if (current.IsName("not") && _tokens.Look().IsName("in"))
            {
                _tokens.Next();
                _tokens.Next();
                rest.Add(("not in", ParseMath1()));
            }
            else
            {
                break;
            }
        }

        return rest.Count == 0 ? first : new CompareExpr(start.Offset, first, rest);
    }

    private Expr ParseMath1()
    {
        Expr left = ParseConcat();
        while (_tokens.Current.IsOperator("+") || _tokens.Current.IsOperator("-"))
        {
            Token op = _tokens.Next();
            left = new BinaryExpr(op.Offset, op.Value, left, ParseConcat());
        }

        return left;
    }

    private Expr ParseConcat()
    {
        Token start = _tokens.Current;
        var parts = new List<Expr> { ParseMath2() };
        while (_tokens.SkipOperator("~"))
        {
            parts.Add(ParseMath2());
        }

        return parts.Count == 1 ? parts[0] : new ConcatExpr(start.Offset, parts);
    }

    private Expr ParseMath2()
    {
        Expr left = ParsePow();
        while (_tokens.Current.Kind == TokenKind.Operator && _tokens.Current.Value is "*" or "/" or "//" or "%")
        {
            Token op = _tokens.Next();
            left = new BinaryExpr(op.Offset, op.Value, left, ParsePow());
        }

        return left;
    }

    private Expr ParsePow()
    {
        Expr left = ParseUnary();
        while (_tokens.Current.IsOperator("**"))
        {
            Token op = _tokens.Next();
            left = new BinaryExpr(op.Offset, "**", left, ParseUnary());
        }

        return left;
    }

    private Expr ParseUnary(bool withFilter = true)
    {
        Token current = _tokens.Current;
        Expr node;
        if (current.IsOperator("-") || current.IsOperator("+"))
        {
            _tokens.Next();
            node = new UnaryExpr(current.Offset, current.Value, ParseUnary(withFilter: false));
        }
        else
        {
            node = ParsePrimary();
        }

        node = ParsePostfix(node);
        return withFilter ? ParseFilterAndTests(node) : node;
    }

    private Expr ParsePrimary()
    {
        Token token = _tokens.Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                _tokens.Next();
                return token.Value switch
                {
                    "true" or "True" => new ConstExpr(token.Offset, true),
                    "false" or "False" => new ConstExpr(token.Offset, false),
                    "none" or "None" => new ConstExpr(token.Offset, null),
                    _ => new NameExpr(token.Offset, token.Value),
                };
            case TokenKind.String:
                _tokens.Next();
                string text = token.Value;
                while (_tokens.Current.Kind == TokenKind.String)
                {
                    text += _tokens.Next().Value;
                }

                return new ConstExpr(token.Offset, text);
            case TokenKind.Integer:
                _tokens.Next();
                return long.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long integer)
                    ? new ConstExpr(token.Offset, integer)
                    : throw _tokens.Fail(token, $"the integer {token.Value} is too large.");
            case TokenKind.Float:
                _tokens.Next();
                return new ConstExpr(token.Offset, double.Parse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        if (token.IsOperator("("))
        {
            _tokens.Next();
            Expr inner = ParseTuple(explicitParentheses: true);
            _tokens.ExpectOperator(")", "to close '('");
            return inner;
        }

        if (token.IsOperator("["))
        {
            return ParseList();
        }

        if (token.IsOperator("{"))
        {
            return ParseDict();
        }

        throw _tokens.Fail(token, $"unexpected {token.Describe()}.");
    }

    private Expr ParseList()
    {
        Token open = _tokens.Next();
        var items = new List<Expr>();
        while (!_tokens.Current.IsOperator("]"))
        {
            if (items.Count > 0)
            {
                _tokens.ExpectOperator(",", "between list items");
                if (_tokens.Current.IsOperator("]"))
                {
                    break;
                }
            }

            items.Add(ParseExpression());
        }

        _tokens.Next();
        return new ListExpr(open.Offset, items);
    }

    private Expr ParseDict()
    {
        Token open = _tokens.Next();
        var items = new List<(Expr, Expr)>();
        while (!_tokens.Current.IsOperator("}"))
        {
            if (items.Count > 0)
            {
                _tokens.ExpectOperator(",", "between dict items");
                if (_tokens.Current.IsOperator("}"))
                {
                    break;
                }
            }

            Expr key = ParseExpression();
            _tokens.ExpectOperator(":", "after a dict key");
            items.Add((key, ParseExpression()));
        }

        _tokens.Next();
        return new DictExpr(open.Offset, items);
    }
}
