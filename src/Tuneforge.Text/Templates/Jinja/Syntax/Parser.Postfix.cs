using System.Globalization;

namespace Tuneforge.Text.Jinja;

/// <summary>What follows a primary expression: attributes, subscripts and slices, calls, filters and tests.</summary>
internal sealed partial class Parser
{
    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            Token current = _tokens.Current;
            if (current.IsOperator(".") || current.IsOperator("["))
            {
                node = ParseSubscript(node);
            }
            else if (current.IsOperator("("))
            {
                node = new CallExpr(node.Offset, node, ParseCallArguments());
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseFilterAndTests(Expr node)
    {
        while (true)
        {
            Token current = _tokens.Current;
            if (current.IsOperator("|"))
            {
                _tokens.Next();
                node = ParseFilter(node);
            }
            else if (current.IsName("is"))
            {
                node = ParseTest(node);
            }
            else if (current.IsOperator("("))
            {
                node = new CallExpr(node.Offset, node, ParseCallArguments());
            }
            else
            {
                return node;
            }
        }
    }

    private List<FilterExpr> ParseFilterChain()
    {
        var filters = new List<FilterExpr> { ParseFilter(null) };
        while (_tokens.SkipOperator("|"))
        {
            filters.Add(ParseFilter(null));
        }

        return filters;
    }

    private FilterExpr ParseFilter(Expr? target)
    {
        Token name = _tokens.ExpectName("as a filter after '|'");
        string filter = DottedName(name.Value);
        CallArguments arguments = _tokens.Current.IsOperator("(") ? ParseCallArguments() : CallArguments.None;
        return new FilterExpr(name.Offset, target, filter, arguments);
    }

    private Expr ParseTest(Expr node)
    {
        Token isToken = _tokens.Next();
        bool negated = _tokens.SkipName("not");
        Token name = _tokens.ExpectName("as a test after 'is'");
        string test = DottedName(name.Value);
        CallArguments arguments = CallArguments.None;
        Token next = _tokens.Current;
        if (next.IsOperator("("))
        {
            arguments = ParseCallArguments();
        }
        else if ((next.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                  || next.IsOperator("[") || next.IsOperator("{"))
                 && !next.IsName("else") && !next.IsName("or") && !next.IsName("and"))
        {
            if (next.IsName("is"))
            {
                throw _tokens.Fail(next, "tests cannot be chained with a second 'is'.");
            }

            arguments = new CallArguments([ParsePostfix(ParsePrimary())], [], null, null);
        }

        Expr result = new TestExpr(name.Offset, node, test, arguments);
        return negated ? new UnaryExpr(isToken.Offset, "not", result) : result;
    }

    private string DottedName(string first)
    {
        string name = first;
        while (_tokens.Current.IsOperator(".") && _tokens.Look().Kind == TokenKind.Name)
        {
            _tokens.Next();
            name += "." + _tokens.Next().Value;
        }

        return name;
    }

    private Expr ParseSubscript(Expr node)
    {
        Token token = _tokens.Next();
        if (token.IsOperator("."))
        {
            Token attribute = _tokens.Next();
            return attribute.Kind switch
            {
                TokenKind.Name => new GetAttrExpr(attribute.Offset, node, attribute.Value),
                TokenKind.Integer => new GetItemExpr(attribute.Offset, node, new ConstExpr(attribute.Offset, long.Parse(attribute.Value, CultureInfo.InvariantCulture))),
                _ => throw _tokens.Fail(attribute, $"expected a name or a number after '.', found {attribute.Describe()}."),
            };
        }

        var indexes = new List<Expr>();
        while (!_tokens.Current.IsOperator("]"))
        {
            if (indexes.Count > 0)
            {
                _tokens.ExpectOperator(",", "between subscripts");
            }

            indexes.Add(ParseSubscribed());
        }

        _tokens.Next();
        if (indexes.Count == 0)
        {
            throw _tokens.Fail(token, "'[]' needs an index or a slice.");
        }

        Expr index = indexes.Count == 1 ? indexes[0] : new TupleExpr(token.Offset, indexes);
        return new GetItemExpr(token.Offset, node, index);
    }

    private Expr ParseSubscribed()
    {
        Token start = _tokens.Current;
        Expr? lower = null;
        if (!start.IsOperator(":"))
        {
            Expr expr = ParseExpression();
            if (!_tokens.Current.IsOperator(":"))
            {
                return expr;
            }

            lower = expr;
        }

        _tokens.Next();
        Expr? upper = IsSliceEnd() || _tokens.Current.IsOperator(":") ? null : ParseExpression();
        Expr? step = null;
        if (_tokens.SkipOperator(":"))
        {
            step = IsSliceEnd() ? null : ParseExpression();
        }

        return new SliceExpr(start.Offset, lower, upper, step);
    }

    private bool IsSliceEnd() => _tokens.Current.IsOperator("]") || _tokens.Current.IsOperator(",");

    private CallArguments ParseCallArguments()
    {
        _tokens.ExpectOperator("(", "to open the arguments");
        var positional = new List<Expr>();
        var keyword = new List<(string, Expr)>();
        Expr? star = null;
        Expr? doubleStar = null;
        bool needComma = false;
        while (!_tokens.Current.IsOperator(")"))
        {
            if (needComma)
            {
                _tokens.ExpectOperator(",", "between arguments");
                if (_tokens.Current.IsOperator(")"))
                {
                    break;
                }
            }

            Token current = _tokens.Current;
            if (current.IsOperator("*") && star is null && doubleStar is null)
            {
                _tokens.Next();
                star = ParseExpression();
            }
            else if (current.IsOperator("**") && doubleStar is null)
            {
                _tokens.Next();
                doubleStar = ParseExpression();
            }
            else if (current.Kind == TokenKind.Name && _tokens.Look().IsOperator("=") && doubleStar is null)
            {
                _tokens.Next();
                _tokens.Next();
                keyword.Add((current.Value, ParseExpression()));
            }
            else if (star is null && doubleStar is null && keyword.Count == 0)
            {
                positional.Add(ParseExpression());
            }
            else
            {
                throw _tokens.Fail(current, "a positional argument cannot follow keyword or unpacked arguments.");
            }

            needComma = true;
        }

        _tokens.Next();
        return new CallArguments(positional, keyword, star, doubleStar);
    }
}
