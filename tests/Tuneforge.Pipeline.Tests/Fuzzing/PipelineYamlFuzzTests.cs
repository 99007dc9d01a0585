using Tuneforge.Pipeline.Loading;
using Tuneforge.TestSupport.Fuzzing;
using Xunit.Abstractions;

namespace Tuneforge.Pipeline.Tests.Fuzzing;

/// <summary>Thousands of seeded mutations of the repository's pipelines: each loads or is refused with a
/// <see cref="SpecException"/> (file:line:column); none crashes, hangs or allocates beyond its size.</summary>
public sealed class PipelineYamlFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Pipeline_files_load_or_are_refused_with_a_SpecException()
    {
        byte[][] seeds = [.. new[] { "pipelines/smoke.yaml", "pipelines/default.yaml", "pipelines/deepseek-r1-distill-qwen-7b-qlora.yaml" }
            .Select(f => File.ReadAllBytes(Repository.File(f)))];
        var report = new FuzzCampaign("pipeline YAML", seeds, e => e is SpecException) { FileName = "pipeline.yaml" }
            .Run(path => SpecLoader.Load(path, ["train.learning_rate=1e-4"]));
        output.WriteLine(report.Describe());
        Assert.True(report.Findings == 0, report.Describe());
        Assert.True(report.Accepted >= 3 && report.TypedErrors > report.Cases / 4, report.Summary);
    }
}
