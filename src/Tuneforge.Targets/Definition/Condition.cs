using System.Linq.Expressions;
using System.Text.RegularExpressions;

namespace Tuneforge.Targets;

/// <summary>A compiled condition with the readable text of its expression, shown as the skip reason.</summary>
public sealed partial record Condition(string Text, Func<bool> Evaluate)
{
    public static Condition From(Expression<Func<bool>> expression) => new(Describe(expression.Body), expression.Compile());

    /// <summary>Turns <c>value(Build).IsServerBuild</c> into <c>IsServerBuild</c>, and <c>Not(x)</c> into <c>!x</c>.</summary>
    public static string Describe(Expression body)
    {
        var text = body.ToString();
        text = ClosureAccess().Replace(text, "");
        text = NotCall().Replace(text, "!$1");
        text = Convert().Replace(text, "$1");
        if (text.StartsWith('(') && text.EndsWith(')') && Balanced(text[1..^1])) text = text[1..^1];
        return text.Replace(" AndAlso ", " && ").Replace(" OrElse ", " || ");
    }

    static bool Balanced(string text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) return false;
        }
        return depth == 0;
    }

    [GeneratedRegex(@"value\([^()]*\)\.")]
    private static partial Regex ClosureAccess();

    [GeneratedRegex(@"Not\(([^()]*)\)")]
    private static partial Regex NotCall();

    [GeneratedRegex(@"Convert\(([^(),]*)(, [^()]*)?\)")]
    private static partial Regex Convert();
}

/// <summary>Something a scheduled target needs before anything runs: a set parameter, or a true condition.</summary>
public sealed record Requirement(string Text, Func<bool> IsMet, string? ParameterMember)
{
    public static Requirement ForParameter<T>(Expression<Func<T?>> parameter) where T : class
    {
        var member = (parameter.Body as MemberExpression)?.Member.Name;
        var get = parameter.Compile();
        return new Requirement(member ?? Condition.Describe(parameter.Body), () => get() is { } v && v is not string { Length: 0 }, member);
    }

    public static Requirement ForCondition(Expression<Func<bool>> condition)
    {
        var c = Condition.From(condition);
        return new Requirement(c.Text, c.Evaluate, null);
    }
}
