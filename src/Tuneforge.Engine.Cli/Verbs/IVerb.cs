using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>One command of <c>tuneforge-engine</c>; it reports through events and returns the exit code.</summary>
public interface IVerb
{
    string Name { get; }
    string Summary { get; }
    IReadOnlyList<OptionSpec> Options { get; }
    Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation);
}
