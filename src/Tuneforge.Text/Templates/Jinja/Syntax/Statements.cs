namespace Tuneforge.Text.Jinja;

/// <summary>A statement of the template (text, output, or a tag); <see cref="Offset"/> is where it starts in the source.</summary>
internal abstract record Node(int Offset);

internal sealed record TextNode(int Offset, string Text) : Node(Offset);

internal sealed record OutputNode(int Offset, Expr Value) : Node(Offset);

internal sealed record IfNode(int Offset, IReadOnlyList<(Expr Test, IReadOnlyList<Node> Body)> Branches, IReadOnlyList<Node> Else) : Node(Offset);

internal sealed record ForNode(int Offset, Expr Target, Expr Iterable, Expr? Filter, IReadOnlyList<Node> Body, IReadOnlyList<Node> Else) : Node(Offset);

/// <summary><c>{% set target = value %}</c>: a name, names to unpack, or a namespace attribute.</summary>
internal sealed record SetNode(int Offset, Expr Target, Expr Value) : Node(Offset);

/// <summary><c>{% set name | filters %}body{% endset %}</c>.</summary>
internal sealed record SetBlockNode(int Offset, string Name, IReadOnlyList<FilterExpr> Filters, IReadOnlyList<Node> Body) : Node(Offset);

internal sealed record Parameter(string Name, Expr? Default);

internal sealed record MacroNode(int Offset, string Name, IReadOnlyList<Parameter> Parameters, IReadOnlyList<Node> Body) : Node(Offset);

/// <summary><c>{% call(params) macro(args) %}body{% endcall %}</c>: the body is the macro's <c>caller()</c>.</summary>
internal sealed record CallBlockNode(int Offset, CallExpr Call, IReadOnlyList<Parameter> Parameters, IReadOnlyList<Node> Body) : Node(Offset);

internal sealed record FilterBlockNode(int Offset, IReadOnlyList<FilterExpr> Filters, IReadOnlyList<Node> Body) : Node(Offset);

internal sealed record BreakNode(int Offset) : Node(Offset);

internal sealed record ContinueNode(int Offset) : Node(Offset);

/// <summary>transformers' <c>{% generation %}…{% endgeneration %}</c>: the text the assistant produces (its loss mask).</summary>
internal sealed record GenerationNode(int Offset, IReadOnlyList<Node> Body) : Node(Offset);
