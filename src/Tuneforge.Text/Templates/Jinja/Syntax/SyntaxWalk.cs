namespace Tuneforge.Text.Jinja;

/// <summary>Every statement and expression of a body, depth first (for load-time checks).</summary>
internal static class SyntaxWalk
{
    public static IEnumerable<Node> Statements(IEnumerable<Node> body, bool intoMacros = true)
    {
        foreach (Node node in body)
        {
            yield return node;
            if (node is MacroNode && !intoMacros)
            {
                continue;
            }

            foreach (Node child in Statements(Children(node), intoMacros))
            {
                yield return child;
            }
        }
    }

    public static IEnumerable<Expr> Expressions(IEnumerable<Node> body, bool intoMacros = true)
    {
        foreach (Node node in Statements(body, intoMacros))
        {
            foreach (Expr expr in OwnExpressions(node))
            {
                foreach (Expr sub in Expressions(expr))
                {
                    yield return sub;
                }
            }
        }
    }

    public static IEnumerable<Expr> Expressions(Expr expr)
    {
        yield return expr;
        foreach (Expr child in Children(expr))
        {
            foreach (Expr sub in Expressions(child))
            {
                yield return sub;
            }
        }
    }

    private static IEnumerable<Node> Children(Node node) => node switch
    {
        IfNode n => n.Branches.SelectMany(b => b.Body).Concat(n.Else),
        ForNode n => n.Body.Concat(n.Else),
        SetBlockNode n => n.Body,
        MacroNode n => n.Body,
        CallBlockNode n => n.Body,
        FilterBlockNode n => n.Body,
        GenerationNode n => n.Body,
        _ => [],
    };

    private static IEnumerable<Expr> OwnExpressions(Node node) => node switch
    {
        OutputNode n => [n.Value],
        IfNode n => n.Branches.Select(b => b.Test),
        ForNode n => n.Filter is null ? [n.Target, n.Iterable] : [n.Target, n.Iterable, n.Filter],
        SetNode n => [n.Target, n.Value],
        SetBlockNode n => n.Filters,
        MacroNode n => n.Parameters.Select(p => p.Default).OfType<Expr>(),
        CallBlockNode n => n.Parameters.Select(p => p.Default).OfType<Expr>().Append(n.Call),
        FilterBlockNode n => n.Filters,
        _ => [],
    };

    private static IEnumerable<Expr> Children(Expr expr) => expr switch
    {
        GetAttrExpr e => [e.Target],
        GetItemExpr e => [e.Target, e.Index],
        SliceExpr e => new[] { e.Start, e.Stop, e.Step }.OfType<Expr>(),
        ListExpr e => e.Items,
        TupleExpr e => e.Items,
        DictExpr e => e.Items.SelectMany(i => new[] { i.Key, i.Value }),
        CallExpr e => e.Arguments.All().Prepend(e.Callee),
        FilterExpr e => e.Target is null ? e.Arguments.All() : e.Arguments.All().Prepend(e.Target),
        TestExpr e => e.Arguments.All().Prepend(e.Target),
        UnaryExpr e => [e.Operand],
        BinaryExpr e => [e.Left, e.Right],
        ConcatExpr e => e.Parts,
        CompareExpr e => e.Rest.Select(r => r.Operand).Prepend(e.First),
        CondExpr e => e.Else is null ? [e.Test, e.Then] : [e.Test, e.Then, e.Else],
        _ => [],
    };
}
