namespace Tuneforge.Text.Jinja;

/// <summary>An expression of the template; <see cref="Offset"/> is where it starts in the source.</summary>
internal abstract record Expr(int Offset);

internal sealed record ConstExpr(int Offset, object? Value) : Expr(Offset);

internal sealed record NameExpr(int Offset, string Name) : Expr(Offset);

/// <summary><c>target.name</c>: an attribute first (a method), then an item, as Jinja2's getattr does.</summary>
internal sealed record GetAttrExpr(int Offset, Expr Target, string Name) : Expr(Offset);

/// <summary><c>target[index]</c>: an item first, then an attribute.</summary>
internal sealed record GetItemExpr(int Offset, Expr Target, Expr Index) : Expr(Offset);

internal sealed record SliceExpr(int Offset, Expr? Start, Expr? Stop, Expr? Step) : Expr(Offset);

internal sealed record ListExpr(int Offset, IReadOnlyList<Expr> Items) : Expr(Offset);

internal sealed record TupleExpr(int Offset, IReadOnlyList<Expr> Items) : Expr(Offset);

internal sealed record DictExpr(int Offset, IReadOnlyList<(Expr Key, Expr Value)> Items) : Expr(Offset);

/// <summary>Arguments of a call, filter or test: positional, keyword, <c>*args</c> and <c>**kwargs</c>.</summary>
internal sealed record CallArguments(
    IReadOnlyList<Expr> Positional,
    IReadOnlyList<(string Name, Expr Value)> Keyword,
    Expr? Star,
    Expr? DoubleStar)
{
    public static readonly CallArguments None = new([], [], null, null);

    public IEnumerable<Expr> All() =>
        Positional.Concat(Keyword.Select(k => k.Value)).Concat(Star is null ? [] : [Star]).Concat(DoubleStar is null ? [] : [DoubleStar]);
}

internal sealed record CallExpr(int Offset, Expr Callee, CallArguments Arguments) : Expr(Offset);

/// <summary><c>target | name(args)</c>; Target is null inside a filter block, which filters its body.</summary>
internal sealed record FilterExpr(int Offset, Expr? Target, string Name, CallArguments Arguments) : Expr(Offset);

internal sealed record TestExpr(int Offset, Expr Target, string Name, CallArguments Arguments) : Expr(Offset);

/// <summary>Unary "-", "+" or "not".</summary>
internal sealed record UnaryExpr(int Offset, string Operator, Expr Operand) : Expr(Offset);

/// <summary>"+", "-", "*", "/", "//", "%", "**", "and", "or".</summary>
internal sealed record BinaryExpr(int Offset, string Operator, Expr Left, Expr Right) : Expr(Offset);

/// <summary><c>a ~ b ~ c</c>: each part as a string, joined.</summary>
internal sealed record ConcatExpr(int Offset, IReadOnlyList<Expr> Parts) : Expr(Offset);

/// <summary>A comparison chain, as Python evaluates <c>a &lt; b &lt; c</c>; operators "==", "!=", "&lt;", "&lt;=", "&gt;", "&gt;=", "in", "not in".</summary>
internal sealed record CompareExpr(int Offset, Expr First, IReadOnlyList<(string Operator, Expr Operand)> Rest) : Expr(Offset);

/// <summary><c>then if test else otherwise</c>; without else it is undefined when the test fails.</summary>
internal sealed record CondExpr(int Offset, Expr Test, Expr Then, Expr? Else) : Expr(Offset);
