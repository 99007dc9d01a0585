using System.Globalization;
using Tuneforge.Data;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;
using Tuneforge.Stages.Engine;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

/// <summary>One summary line's pairs: <c>// loss: 1.84, eval_loss: 2.02</c>.</summary>
public sealed record StageSummary(IReadOnlyList<(string Key, string Value)> Pairs)
{
    public static StageSummary Of(params (string Key, string Value)[] pairs) => new(pairs);

    public (string Key, string Value)[] ToArray() => [.. Pairs];
}

/// <summary>
/// The build's side of every stage, one method per target: the target in build/ declares its inputs and calls one of
/// these. Heavy stages build their job through <see cref="Tuneforge.Protocol"/>, run the engine and read its typed
/// result; the torch-free ones call their library. Every error a user can fix becomes a <see cref="BuildException"/>.
/// </summary>
/// <param name="PipelinePath">The pipeline file, relative to the root: where errors about its settings point.</param>
public sealed partial class PipelineStages(PipelineSpec spec, string rootDirectory, string pipelinePath, CancellationToken cancellation)
{
    public PipelineSpec Spec { get; } = spec;

    EngineClient Engine => new(rootDirectory);

    string Relative(string path) => Path.GetRelativePath(rootDirectory, path);

    // Errors of the data, the stage files or the engine's handover are the user's to fix: a message, not a stack trace.
    static T UserError<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DataException e)
        {
            throw new BuildException(e.Message, e);
        }
        catch (StageFileException e)
        {
            throw new BuildException(e.Hint is null ? e.Message : $"{e.Message}\n  {e.Hint}", e);
        }
    }

    static void UserError(Action action) => UserError(() => { action(); return 0; });

    static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";

    static string Mebibytes(long bytes) => $"{bytes / 1048576.0:0.0} MiB";

    static string Peak(long? bytes) => bytes is { } b ? $"{b / 1073741824.0:0.00} GiB" : "n/a";
}
