namespace Tuneforge.Text.Jinja;

/// <summary>
/// Jinja2's default Undefined: prints as "", is false, iterates as empty and equals only another Undefined; reading an
/// attribute or item of it, calling it or computing with it raises an error that says what was undefined.
/// </summary>
internal sealed class Undefined
{
    private Undefined(string hint, bool unsafeAttribute)
    {
        Hint = hint;
        IsUnsafe = unsafeAttribute;
    }

    public string Hint { get; }

    /// <summary>An attribute the sandbox refuses (a list's append, a dict's update): using it raises a SecurityError.</summary>
    public bool IsUnsafe { get; }

    public static Undefined Named(string name) => new($"'{name}' is undefined", unsafeAttribute: false);

    public static Undefined Because(string hint) => new(hint, unsafeAttribute: false);

    public static Undefined Unsafe(string attribute, object? owner) =>
        new($"access to attribute '{attribute}' of '{PyOps.TypeName(owner)}' object is unsafe.", unsafeAttribute: true);

    public JinjaRuntimeException Error() => new(IsUnsafe ? $"SecurityError: {Hint}" : $"UndefinedError: {Hint}");
}
