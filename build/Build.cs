using Tuneforge.Pipeline.Loading;
using Tuneforge.Pipeline.Schema;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Stages;
using Tuneforge.Targets;

partial class Build : NukeBuild
{
    public static int Main() => Execute<Build>(x => x.Test);

    [Parameter("Pipeline file to run. Default is 'pipelines/default.yaml'.", Name = "Pipeline")]
    readonly AbsolutePath? PipelineFile;

    [Parameter("Overrides a pipeline key, e.g. --set train.learning_rate=1e-4 (repeat --set, or give several).", Accumulates = true)]
    readonly string[] Set = [];

    AbsolutePath PipelinePath => PipelineFile ?? RootDirectory / "pipelines" / "default.yaml";
    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts" / Spec.Name;

    PipelineSpec? spec;
    PipelineSpec Spec => spec ??= SpecLoader.Load(PipelinePath, Set, PipelinePath.RelativeTo(RootDirectory));

    // Every target's work is one call into the stages (src/Tuneforge.Stages).
    PipelineStages? stages;
    PipelineStages Stages => stages ??= new PipelineStages(Spec, RootDirectory, PipelinePath.RelativeTo(RootDirectory), Cancellation);

    // Targets that never read the pipeline do not make a broken pipeline file fail the build.
    static readonly string[] SpecFreeTargets = ["Test", "Prune", "Restore"];

    // The pipeline schema follows the spec records, as build.schema.json follows the parameters.
    protected override void OnBuildCreated() =>
        BuildRunner.WriteIfChanged(RootDirectory / "pipelines" / "schema.json", SpecSchema.Generate());

    protected override void OnBuildInitialized()
    {
        if (ExecutionPlan.All(t => SpecFreeTargets.Contains(t.Name))) return;
        try
        {
            _ = Spec;
        }
        catch (SpecException e)
        {
            throw new BuildException(e.Message);
        }
    }

    protected override string? HelpFooter =>
        """
        Examples:
          ./build.sh Train Evaluate                      the default pipeline (pipelines/default.yaml)
          ./build.sh Package                             the whole chain, up to the release archive in dist/
          ./build.sh Train --pipeline pipelines/deepseek-r1-distill-qwen-7b-lora.yaml
                                                         another pipeline (the guide's 7B recipe, on a GPU runner)
          ./build.sh Train --set train.learning_rate=1e-4
                                                         override a key for this run
          ./build.sh Train --force Train                 run a cached stage again
          ./build.sh Serve                               serve the tuned model on http://127.0.0.1:8000
        """;
}
