using Tuneforge.Data;
using Tuneforge.Pipeline.Model;
using Tuneforge.Targets;

partial class Build
{
    Target ExportReview => _ => _
        .DependsOn(Evaluate)
        .Description("A sheet of the lowest-scoring and sampled test answers for experts to rate and correct (review.csv, review.xlsx); read back with data.reviews")
        .Cached(c => c
            .Upstream(Predict, Evaluate)
            .Value("review", SpecJson.Canonical(Spec.Review))
            .Salt(DataVersion.Review)
            .Publish(ArtifactsDirectory / "review"))
        .Executes(() => ReportSummary(Stages.ExportReview(Output(Predict), Output(Evaluate), Output(ExportReview)).ToArray()));
}
