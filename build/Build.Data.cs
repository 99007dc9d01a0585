using Tuneforge.Data;
using Tuneforge.Data.Cleaning;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Targets;

partial class Build
{
    Target Clean => _ => _
        .Description("Reads data.sources, normalizes, redacts PII (opt-in), drops duplicates and bad records: clean.jsonl + rejects.jsonl")
        .Cached(c => WithCleanTokenizer(c
            .Files(DataFiles)
            .Value("data", SpecJson.Canonical(Spec.Data))
            .Value("clean", SpecJson.Canonical(CleanSettings)))
            .Salt(DataVersion.Clean)
            .Publish(ArtifactsDirectory / "clean"))
        .Executes(() =>
        {
            var result = UserError(() => DataStages.Clean(new CleanRequest(Spec.Data, Spec.Clean, RootDirectory, Output(Clean), CleanTokenizer), Cancellation));
            var stats = result.Stats;
            Log.Information($"Kept {stats.Kept} of {stats.Input} records; {string.Join(", ", stats.RejectedByReason.Select(r => $"{r.Reason}: {r.Count}"))}");
            Log.Information($"What was dropped and why: {(ArtifactsDirectory / "clean" / "summary.md").RelativeTo(RootDirectory)}");
            ReportSummary(("kept", stats.Kept.ToString()), ("rejected", stats.Rejected.ToString()));
        })
        .Checks(() => UserError(() => DataStages.CheckKept(new CleanRequest(Spec.Data, Spec.Clean, RootDirectory, Output(Clean)), (ArtifactsDirectory / "clean").RelativeTo(RootDirectory))));

    // clean.min_records checks the result: left out of the key, so changing it checks again without cleaning again.
    CleanSpec CleanSettings => Spec.Clean with { MinRecords = new CleanSpec().MinRecords };

    Target Split => _ => _
        .DependsOn(Clean)
        .Description("Deterministic train/val/test split, stratified by category, groups kept whole")
        .Cached(c => c
            .Upstream(Clean)
            .Value("split", SpecJson.Canonical(Spec.Split))
            .Salt(DataVersion.Split)
            .Publish(ArtifactsDirectory / "split"))
        .Executes(() =>
        {
            var result = UserError(() => DataStages.Split(Spec.Split, Output(Clean) / DataStages.CleanFile, Output(Split), Cancellation));
            foreach (var warning in result.Warnings) Log.Warning(warning);
            ReportSummary(("train", result.Train.ToString()), ("val", result.Val.ToString()), ("test", result.Test.ToString()));
        });

    IReadOnlyList<string> DataFiles => UserError(() => DataStages.SourceFiles(Spec.Data, RootDirectory));

    string? CleanTokenizer => UserError(() => TokenizerFolder.Resolve(Spec.Clean, Spec.Model, RootDirectory));

    // The token filters' tokenizer decides which records are kept, so its files are an input.
    CacheInputs WithCleanTokenizer(CacheInputs inputs) => CleanTokenizer is { } folder ? inputs.Directory(folder) : inputs;

    static void UserError(Action action) => UserError(() => { action(); return 0; });

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
    }
}
