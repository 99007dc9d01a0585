namespace Tuneforge.Text.Jinja;

/// <summary>
/// Parses tokens into statements as Jinja2's parser does, for the statements chat templates use: if/elif/else, for
/// (with else and a loop filter), set (also namespace attributes and blocks), macro, call, filter, break, continue and
/// transformers' generation. Anything else fails here, with the tag's line and column.
/// </summary>
internal sealed partial class Parser
{
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["extends"] = "template inheritance", ["block"] = "template inheritance", ["include"] = "other template files",
        ["import"] = "other template files", ["from"] = "other template files", ["with"] = "with-scopes",
        ["autoescape"] = "autoescaping", ["trans"] = "the i18n extension", ["pluralize"] = "the i18n extension",
        ["do"] = "the do extension",
    };

    private readonly TokenStream _tokens;
    private readonly Stack<(string Tag, int Offset)> _open = new();
    private int _loopDepth;

    private Parser(TokenStream tokens) => _tokens = tokens;

    public static IReadOnlyList<Node> Parse(TemplateSource source)
    {
        var parser = new Parser(new TokenStream(Lexer.Tokenize(source), source));
        return parser.ParseBody([]);
    }

    /// <summary>Statements up to one of <paramref name="endTags"/>; on return the current token is that tag's name.</summary>
    private List<Node> ParseBody(string[] endTags)
    {
        var body = new List<Node>();
        while (true)
        {
            Token token = _tokens.Current;
            switch (token.Kind)
            {
                case TokenKind.Text:
                    _tokens.Next();
                    body.Add(new TextNode(token.Offset, token.Value));
                    break;
                case TokenKind.VariableBegin:
                    _tokens.Next();
                    Expr value = ParseTuple();
                    if (_tokens.Current.Kind != TokenKind.VariableEnd)
                    {
                        throw _tokens.Fail(_tokens.Current, $"expected '}}}}' to end the expression, found {_tokens.Current.Describe()}.");
                    }

                    _tokens.Next();
                    body.Add(new OutputNode(token.Offset, value));
                    break;
                case TokenKind.BlockBegin:
                    Token name = _tokens.Look();
                    if (name.Kind == TokenKind.Name && endTags.Contains(name.Value))
                    {
                        _tokens.Next();
                        return body;
                    }

                    _tokens.Next();
                    body.Add(ParseStatement(token.Offset));
                    break;
                case TokenKind.End:
                    if (endTags.Length > 0)
                    {
                        (string tag, int offset) = _open.Peek();
                        (int line, int column) = _tokens.Source.Locate(offset);
                        throw _tokens.Fail(token,
                            $"the template ends inside '{{% {tag} %}}' (opened at line {line}, column {column}): " +
                            $"expected {string.Join(" or ", endTags.Select(t => $"'{{% {t} %}}'"))}.");
                    }

                    return body;
                default:
                    throw _tokens.Fail(token, $"unexpected {token.Describe()}.");
            }
        }
    }

    private Node ParseStatement(int offset)
    {
        Token name = _tokens.Current;
        if (name.Kind != TokenKind.Name)
        {
            throw _tokens.Fail(name, $"expected a statement name after '{{%', found {name.Describe()}.");
        }

        switch (name.Value)
        {
            case "if": return Block("if", offset, ParseIf);
            case "for": return Block("for", offset, ParseFor);
            case "set": return ParseSet(offset);
            case "macro": return Block("macro", offset, ParseMacro);
            case "call": return Block("call", offset, ParseCallBlock);
            case "filter": return Block("filter", offset, ParseFilterBlock);
            case "generation": return Block("generation", offset, ParseGeneration);
            case "break" or "continue":
                _tokens.Next();
                if (_loopDepth == 0)
                {
                    throw _tokens.Fail(offset, $"'{{% {name.Value} %}}' outside a for loop.");
                }

                _tokens.ExpectBlockEnd(name.Value);
                return name.Value == "break" ? new BreakNode(offset) : new ContinueNode(offset);
        }

        if (Unsupported.TryGetValue(name.Value, out string? feature))
        {
            throw _tokens.Fail(offset,
                $"'{{% {name.Value} %}}' ({feature}) is not supported: Tuneforge renders the Jinja subset chat templates use. " +
                "Rewrite the template without it, or choose a named template (model.chat_template).");
        }

        if (_open.Count > 0 && (name.Value.StartsWith("end", StringComparison.Ordinal) || name.Value is "else" or "elif"))
        {
            (string tag, int at) = _open.Peek();
            (int line, int column) = _tokens.Source.Locate(at);
            throw _tokens.Fail(offset,
                $"'{{% {name.Value} %}}' does not close the innermost open block '{{% {tag} %}}' (line {line}, column {column}).");
        }

        if (name.Value.StartsWith("end", StringComparison.Ordinal) || name.Value is "else" or "elif")
        {
            throw _tokens.Fail(offset, $"'{{% {name.Value} %}}' has no open block to close.");
        }

        throw _tokens.Fail(offset, $"unknown statement '{{% {name.Value} %}}'.");
    }

    private Node Block(string tag, int offset, Func<int, Node> parse)
    {
        _open.Push((tag, offset));
        Node node = parse(offset);
        _open.Pop();
        return node;
    }

    private Node ParseIf(int offset)
    {
        _tokens.Next();
        var branches = new List<(Expr, IReadOnlyList<Node>)>();
        IReadOnlyList<Node> otherwise = [];
        while (true)
        {
            Expr test = ParseTuple(withCondExpr: false);
            _tokens.ExpectBlockEnd("if");
            List<Node> body = ParseBody(["elif", "else", "endif"]);
            branches.Add((test, body));
            string tag = _tokens.Next().Value;
            if (tag == "elif")
            {
                continue;
            }

            if (tag == "else")
            {
                _tokens.ExpectBlockEnd("else");
                otherwise = ParseBlockBody("endif");
            }
            else
            {
                _tokens.ExpectBlockEnd("endif");
            }

            return new IfNode(offset, branches, otherwise);
        }
    }

    private Node ParseFor(int offset)
    {
        _tokens.Next();
        Expr target = ParseAssignTarget(endName: "in");
        _tokens.ExpectKeyword("in", "after the loop variable of '{% for %}'");
        Expr iterable = ParseTuple(withCondExpr: false, endName: "recursive");
        Expr? filter = _tokens.SkipName("if") ? ParseExpression() : null;
        if (_tokens.Current.IsName("recursive"))
        {
            throw _tokens.Fail(_tokens.Current, "recursive for loops are not supported.");
        }

        _tokens.ExpectBlockEnd("for");
        _loopDepth++;
        List<Node> body = ParseBody(["endfor", "else"]);
        _loopDepth--;
        IReadOnlyList<Node> otherwise = [];
        if (_tokens.Next().Value == "else")
        {
            _tokens.ExpectBlockEnd("else");
            otherwise = ParseBlockBody("endfor");
        }
        else
        {
            _tokens.ExpectBlockEnd("endfor");
        }

        return new ForNode(offset, target, iterable, filter, body, otherwise);
    }

    private Node ParseSet(int offset)
    {
        _tokens.Next();
        Expr target;
        if (_tokens.Current.Kind == TokenKind.Name && _tokens.Look().IsOperator("."))
        {
            Token ns = _tokens.Next();
            _tokens.Next();
            Token attribute = _tokens.ExpectName("after '.' in '{% set %}'");
            target = new GetAttrExpr(ns.Offset, new NameExpr(ns.Offset, ns.Value), attribute.Value);
        }
        else
        {
            target = ParseAssignTarget(endName: null);
        }

        if (_tokens.SkipOperator("="))
        {
            Expr value = ParseTuple();
            _tokens.ExpectBlockEnd("set");
            return new SetNode(offset, target, value);
        }

        if (target is not NameExpr name)
        {
            throw _tokens.Fail(_tokens.Current, $"expected '=' in '{{% set %}}', found {_tokens.Current.Describe()}.");
        }

        var filters = new List<FilterExpr>();
        if (_tokens.Current.IsOperator("|"))
        {
            _tokens.Next();
            filters.AddRange(ParseFilterChain());
        }

        _tokens.ExpectBlockEnd("set");
        _open.Push(("set", offset));
        List<Node> body = ParseBlockBody("endset");
        _open.Pop();
        return new SetBlockNode(offset, name.Name, filters, body);
    }

    private Node ParseMacro(int offset)
    {
        _tokens.Next();
        string name = _tokens.ExpectName("after 'macro'").Value;
        IReadOnlyList<Parameter> parameters = ParseSignature();
        _tokens.ExpectBlockEnd("macro");
        return new MacroNode(offset, name, parameters, ParseBlockBody("endmacro", outsideLoops: true));
    }

    private Node ParseCallBlock(int offset)
    {
        _tokens.Next();
        IReadOnlyList<Parameter> parameters = _tokens.Current.IsOperator("(") ? ParseSignature() : [];
        Token start = _tokens.Current;
        if (ParseExpression() is not CallExpr call)
        {
            throw _tokens.Fail(start, "'{% call %}' needs a macro call, such as '{% call render(x) %}'.");
        }

        _tokens.ExpectBlockEnd("call");
        return new CallBlockNode(offset, call, parameters, ParseBlockBody("endcall", outsideLoops: true));
    }

    private Node ParseFilterBlock(int offset)
    {
        _tokens.Next();
        List<FilterExpr> filters = ParseFilterChain();
        _tokens.ExpectBlockEnd("filter");
        return new FilterBlockNode(offset, filters, ParseBlockBody("endfilter"));
    }

    private Node ParseGeneration(int offset)
    {
        _tokens.Next();
        _tokens.ExpectBlockEnd("generation");
        return new GenerationNode(offset, ParseBlockBody("endgeneration"));
    }

    /// <summary>A body up to <paramref name="endTag"/>, which is consumed; a macro or call body is outside any loop.</summary>
    private List<Node> ParseBlockBody(string endTag, bool outsideLoops = false)
    {
        int loops = _loopDepth;
        _loopDepth = outsideLoops ? 0 : loops;
        List<Node> body = ParseBody([endTag]);
        _loopDepth = loops;
        _tokens.Next();
        _tokens.ExpectBlockEnd(endTag);
        return body;
    }

    private IReadOnlyList<Parameter> ParseSignature()
    {
        _tokens.ExpectOperator("(", "to open the parameter list");
        var parameters = new List<Parameter>();
        while (!_tokens.Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
            {
                _tokens.ExpectOperator(",", "between parameters");
            }

            Token name = _tokens.ExpectName("as a parameter");
            if (parameters.Any(p => p.Name == name.Value))
            {
                throw _tokens.Fail(name, $"the parameter '{name.Value}' is declared twice.");
            }

            Expr? defaultValue = _tokens.SkipOperator("=") ? ParseExpression() : null;
            if (defaultValue is null && parameters.Any(p => p.Default is not null))
            {
                throw _tokens.Fail(name, $"the parameter '{name.Value}' without a default follows one with a default.");
            }

            parameters.Add(new Parameter(name.Value, defaultValue));
        }

        _tokens.Next();
        return parameters;
    }

    private Expr ParseAssignTarget(string? endName)
    {
        Token start = _tokens.Current;
        Expr target = ParseTuple(simplified: true, endName: endName);
        bool assignable = target is NameExpr || (target is TupleExpr tuple && tuple.Items.All(i => i is NameExpr));
        return assignable ? target : throw _tokens.Fail(start, "can only assign to names here.");
    }
}
