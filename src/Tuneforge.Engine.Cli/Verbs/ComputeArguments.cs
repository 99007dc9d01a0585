using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>The --device and --dtype options of verbs that run a model.</summary>
public static class ComputeArguments
{
    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        new("device", "cpu or cuda[:N]", Default: "cpu"),
        new("dtype", "float32, bfloat16 or float16", Default: "float32"),
    ];

    public static ComputeOptions Parse(ParsedArguments arguments)
    {
        try
        {
            return ComputeOptions.Parse(arguments.Text("device") ?? "cpu", arguments.Text("dtype") ?? "float32");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
