using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>One command of <c>tuneforge-engine</c>; it reports through events and returns the exit code.</summary>
public interface IVerb
{
    string Name { get; }
    string Summary { get; }
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>True for verbs the build runs with an engine job file (<c>--job job.json</c> holds an <c>EngineJob</c>,
    /// read by the verb itself), false where the job file is an object of option values.</summary>
    bool ReadsEngineJob => false;

    /// <summary>False for verbs that never touch libtorch (score, verify): they run where libtorch cannot load.</summary>
    bool UsesTorch => true;

    /// <summary>The option a bare first argument fills (<c>verify ARCHIVE</c>), or null when every value is named.</summary>
    string? PositionalOption => null;
    Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation);
}
