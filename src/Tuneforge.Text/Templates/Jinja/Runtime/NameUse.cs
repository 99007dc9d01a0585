namespace Tuneforge.Text.Jinja;

/// <summary>Which of some names a body reads (a macro takes varargs, kwargs or caller only if its body uses them).</summary>
internal static class NameUse
{
    public static HashSet<string> Find(IEnumerable<Node> body, IReadOnlyCollection<string> wanted)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (Expr expr in SyntaxWalk.Expressions(body, intoMacros: false))
        {
            if (expr is NameExpr name && wanted.Contains(name.Name))
            {
                found.Add(name.Name);
            }
        }

        return found;
    }
}
