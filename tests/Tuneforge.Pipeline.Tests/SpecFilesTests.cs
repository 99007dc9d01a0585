using Tuneforge.Pipeline.Loading;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Schema;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Tests;

public class SpecFilesTests
{
    public static TheoryData<string> PipelineFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repository.File("pipelines"), "*.yaml").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(PipelineFiles))]
    public void Every_pipeline_in_the_repository_loads(string file)
    {
        var spec = SpecLoader.Load(Repository.File($"pipelines/{file}"));
        Assert.False(string.IsNullOrEmpty(spec.Name));
        var first = File.ReadLines(Repository.File($"pipelines/{file}")).Take(4).ToList();
        Assert.Contains(first, line => line.StartsWith("# Run", StringComparison.Ordinal) || line.Contains("./build.sh", StringComparison.Ordinal));
    }

    [Fact]
    public void The_committed_schema_is_the_generated_one()
    {
        // Regenerate with: ./build.sh --help (the build rewrites pipelines/schema.json when it differs).
        Assert.Equal(SpecSchema.Generate(), File.ReadAllText(Repository.File("pipelines/schema.json")));
    }

    [Fact]
    public void Canonical_json_sorts_keys_and_uses_the_yaml_names()
    {
        var json = SpecJson.Canonical(new QuantizationSpec());
        Assert.Equal("""{"bnb_4bit_blocksize":64,"bnb_4bit_compute_dtype":"bfloat16","bnb_4bit_quant_type":"nf4","bnb_4bit_use_double_quant":false}""", json);
        Assert.Equal(json, SpecJson.Canonical(SpecJson.Deserialize<QuantizationSpec>(json)));
    }

    [Fact]
    public void Changing_an_evaluation_key_leaves_the_training_sections_unchanged()
    {
        var a = SpecLoader.Parse("name: d\ndata:\n  sources: [x]\n", "a.yaml");
        var b = SpecLoader.Parse("name: d\ndata:\n  sources: [x]\nevaluate:\n  max_new_tokens: 9\n", "b.yaml");
        Assert.Equal(SpecJson.Canonical(a.Train), SpecJson.Canonical(b.Train));
        Assert.Equal(SpecJson.Canonical(a.Model), SpecJson.Canonical(b.Model));
        Assert.NotEqual(SpecJson.Canonical(a.Evaluate), SpecJson.Canonical(b.Evaluate));
    }

    [Fact]
    public void Enum_values_are_snake_case_in_json()
    {
        var json = SpecJson.Canonical(new TrainSpec { LrSchedulerType = SchedulerType.ConstantWithWarmup });
        Assert.Contains("\"lr_scheduler_type\":\"constant_with_warmup\"", json);
        Assert.Contains("\"per_device_train_batch_size\":4", json);
    }
}
