namespace Tuneforge.Text.Jinja;

/// <summary>
/// Load-time checks of what the parser cannot see: every filter, test, method and function a template names must be
/// one the renderer has, so an unsupported construct fails when the template is loaded, not in the middle of a run.
/// </summary>
internal static class TemplateValidator
{
    public static void Check(IReadOnlyList<Node> body, TemplateSource source)
    {
        // Names a template may call: globals, its macros, a call block's caller, and anything it assigns.
        var callable = new HashSet<string>(Globals.Names, StringComparer.Ordinal) { "caller" };
        foreach (Node node in SyntaxWalk.Statements(body))
        {
            switch (node)
            {
                case MacroNode macro: callable.Add(macro.Name); break;
                case SetNode { Target: NameExpr name }: callable.Add(name.Name); break;
                case SetBlockNode block: callable.Add(block.Name); break;
            }
        }

        foreach (Expr expr in SyntaxWalk.Expressions(body))
        {
            switch (expr)
            {
                case FilterExpr filter when !Filters.Exists(filter.Name):
                    throw Error(source, filter.Offset, $"the filter '{filter.Name}' is not supported",
                        $"supported filters: {string.Join(", ", Filters.Names.Order(StringComparer.Ordinal))}");
                case FilterExpr { Name: "map" or "select" or "reject" or "selectattr" or "rejectattr" } filter when NamedByArgument(filter) is { } named:
                    throw Error(source, filter.Offset, $"{named} (an argument of '{filter.Name}') is not supported", "see Jinja2's lists of filters and tests");
                case TestExpr test when !Tests.Exists(test.Name):
                    throw Error(source, test.Offset, $"the test '{test.Name}' is not supported", "see Jinja2's list of tests");
                case CallExpr { Callee: GetAttrExpr method } when !Methods.KnownNames.Contains(method.Name):
                    throw Error(source, method.Offset, $"the method '{method.Name}()' is not supported",
                        $"supported methods: {string.Join(", ", Methods.KnownNames.Order(StringComparer.Ordinal))}");
                case CallExpr { Callee: NameExpr function } when !callable.Contains(function.Name):
                    throw Error(source, function.Offset, $"the function '{function.Name}()' is not defined",
                        $"functions: {string.Join(", ", Globals.Names)} and the template's own macros");
            }
        }
    }

    // map('upper') names a filter, select('odd') and selectattr('role', 'equalto', ...) a test.
    private static string? NamedByArgument(FilterExpr filter)
    {
        int at = filter.Name.EndsWith("attr", StringComparison.Ordinal) ? 1 : 0;
        if (filter.Arguments.Positional.Count <= at || filter.Arguments.Positional[at] is not ConstExpr { Value: string name })
        {
            return null;
        }

        bool isFilter = filter.Name == "map";
        return isFilter ? (Filters.Exists(name) ? null : $"the filter '{name}'") : (Tests.Exists(name) ? null : $"the test '{name}'");
    }

    private static ChatTemplateException Error(TemplateSource source, int offset, string what, string known) =>
        new(source.At(offset, $"{what} by Tuneforge's Jinja renderer ({known}). Rewrite that part of the template, " +
            "or choose a named template (model.chat_template)."));
}
