namespace Tuneforge.Engine.Cli.CommandLine;

/// <summary>One option a verb accepts: <c>--name VALUE</c>, or a flag without a value.</summary>
public sealed record OptionSpec(string Name, string Description, bool IsFlag = false, bool Repeatable = false, string? Default = null);

/// <summary>Options every verb accepts.</summary>
public static class CommonOptions
{
    public static readonly IReadOnlyList<OptionSpec> All =
    [
        new("format", "json (JSON lines, default) or text", Default: "json"),
        new("out", "folder for the verb's output files"),
        new("job", "job.json: an engine job (the build writes them; for option verbs its \"options\" object, which command-line options override)"),
        new("threads", "CPU threads for libtorch (default: libtorch's choice)"),
        new("help", "show this verb's options", IsFlag: true),
    ];
}
