using Tuneforge.Data;
using Tuneforge.Pipeline.Model;
using Tuneforge.Targets;

partial class Build
{
    Target Clean => _ => _
        .Description("Reads data.sources, normalizes, redacts PII (opt-in), drops duplicates and bad records: clean.jsonl + rejects.jsonl")
        .Cached(c => WithCleanTokenizer(c
            .Files(Stages.DataFiles)
            .Value("data", SpecJson.Canonical(Spec.Data))
            .Value("clean", SpecJson.Canonical(Spec.Clean)))
            .Salt(DataVersion.Clean)
            .Publish(ArtifactsDirectory / "clean"))
        .Executes(() => ReportSummary(Stages.Clean(Output(Clean)).ToArray()));

    Target Split => _ => _
        .DependsOn(Clean)
        .Description("Deterministic train/val/test split, stratified by category, groups kept whole")
        .Cached(c => c
            .Upstream(Clean)
            .Value("split", SpecJson.Canonical(Spec.Split))
            .Salt(DataVersion.Split)
            .Publish(ArtifactsDirectory / "split"))
        .Executes(() => ReportSummary(Stages.Split(Output(Clean), Output(Split)).ToArray()));

    // The token filters' tokenizer decides which records are kept, so its files are an input.
    CacheInputs WithCleanTokenizer(CacheInputs inputs) => Stages.CleanTokenizer is { } folder ? inputs.Directory(folder) : inputs;
}
