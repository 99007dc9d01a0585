using System.Text.Json.Nodes;
using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Quantization;
using Tuneforge.Engine.Tests.Gguf;
using Tuneforge.Engine.Tests.Merging;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Tests.Quantization;

/// <summary>The quantize verb's work end to end on a small model folder with the DeepSeek-R1 tokenizer and a PEFT adapter.</summary>
public sealed class QuantizationRunTests
{
    [Fact]
    public async Task Writes_every_format_and_measures_each_against_the_merged_model()
    {
        using var directory = new TempDirectory();
        var baseDirectory = Path.Combine(directory.Path, "base");
        var config = GgufFixtures.Qwen2 with { HiddenSize = 128, IntermediateSize = 256, HeadDim = 32 };
        using (var model = TinyModels.Random(config, seed: 41))
        {
            PretrainedModel.Save(model, baseDirectory);
            PeftAdapterFixture.Write(Path.Combine(directory.Path, "adapter"), model, rank: 4, alpha: 8, false, ["q_proj", "v_proj", "down_proj"], seed: 42);
        }
        foreach (var file in Directory.EnumerateFiles(TokenizerLocator.Find("deepseek-r1"), "*.json"))
            File.Copy(file, Path.Combine(baseDirectory, Path.GetFileName(file)));
        var test = Path.Combine(directory.Path, "test.jsonl");
        File.WriteAllLines(test,
        [
            "{\"id\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"发票多久能开？\"},{\"role\":\"assistant\",\"content\":\"订单完成后30天内可以申请开票。\"}]}",
            "{\"id\":\"b\",\"messages\":[{\"role\":\"user\",\"content\":\"How long is shipping?\"},{\"role\":\"assistant\",\"content\":\"Usually 3 to 5 days.\"}]}",
            "{\"id\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"退款多久到账\"},{\"role\":\"assistant\",\"content\":\"原路退回，一般1到3个工作日。\"}]}",
        ]);
        var job = new EngineJob
        {
            Verb = "quantize",
            Model = new ModelSpec { Source = baseDirectory, ChatTemplate = "deepseek-r1" },
            Quantize = new QuantizeSpec { Formats = ["merged", "int8", "int4", "gguf_q8_0", "gguf_q4_0"], GroupSize = 32, MaxSamples = 2 },
            Evaluate = new EvaluateSpec { MaxNewTokens = 8, BatchSize = 2 },
            Inputs = { ["adapter"] = Path.Combine(directory.Path, "adapter"), ["test"] = test },
        };
        var output = Path.Combine(directory.Path, "out");
        var events = new List<EngineEvent>();
        // A scorer that tells answers apart: the share of reference characters the answer contains.
        var result = StageResult.ToEvent("quantize", await QuantizationRun.RunAsync(job, output, events.Add, (reference, answer) => reference.Count(answer.Contains) / (double)reference.Length)).Data;   // as the build reads it

        Assert.True(File.Exists(Path.Combine(output, "merged", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(output, "merged", "tokenizer.json")));
        Assert.True(QuantizedModel.IsQuantized(Path.Combine(output, "int4")));
        Assert.True(File.Exists(Path.Combine(output, "int8", "tokenizer_config.json")));
        Assert.Equal(GgmlType.Q4_0, GgufFile.Read(Path.Combine(output, "model-q4_0.gguf")).Tensor("blk.0.attn_q.weight").Type);

        var quality = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "quality.json")))!;
        Assert.Equal("deepseek-r1", quality["chat_template"]!.GetValue<string>());
        Assert.Equal(2, quality["generation_examples"]!.GetValue<int>());
        var formats = quality["formats"]!.AsArray().ToDictionary(f => f!["format"]!.GetValue<string>(), f => f!);
        Assert.Equal(["merged", "int8", "int4", "gguf_q8_0", "gguf_q4_0"], formats.Keys);
        Assert.Equal(0.0, formats["merged"]["rougeL_delta"]!.GetValue<double>());
        var merged = formats["merged"]["perplexity"]!.GetValue<double>();
        Assert.True(merged > 1);
        // 8 bits barely move perplexity; 4 bits move it more; every format is smaller than merged float32.
        Assert.InRange(formats["int8"]["perplexity"]!.GetValue<double>() / merged, 0.97, 1.03);
        Assert.InRange(formats["gguf_q8_0"]["perplexity"]!.GetValue<double>() / merged, 0.97, 1.03);
        Assert.NotEqual(merged, formats["int4"]["perplexity"]!.GetValue<double>());
        foreach (var name in new[] { "int8", "int4", "gguf_q8_0", "gguf_q4_0" })
            Assert.True(formats[name]["bytes"]!.GetValue<long>() < formats["merged"]["bytes"]!.GetValue<long>(), $"{name} is not smaller than merged");
        Assert.Contains(events, e => e is ArtifactEvent { Kind: "gguf" });
        Assert.Equal(5, result["formats"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_merge_log_names_the_copy_it_wrote_and_the_base_folder_is_unchanged()
    {
        using var directory = new TempDirectory();
        var baseDirectory = Path.Combine(directory.Path, "base");
        using (var model = TinyModels.Random(GgufFixtures.Qwen2 with { HiddenSize = 64, IntermediateSize = 128, HeadDim = 16 }, seed: 43))
        {
            PretrainedModel.Save(model, baseDirectory);
            PeftAdapterFixture.Write(Path.Combine(directory.Path, "adapter"), model, rank: 2, alpha: 4, false, ["q_proj"], seed: 44);
        }
        foreach (var file in Directory.EnumerateFiles(TokenizerLocator.Find("deepseek-r1"), "*.json"))
            File.Copy(file, Path.Combine(baseDirectory, Path.GetFileName(file)));
        var weights = Path.Combine(baseDirectory, "model.safetensors");
        var before = System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(weights));
        var job = new EngineJob
        {
            Verb = "quantize",
            Model = new ModelSpec { Source = baseDirectory, ChatTemplate = "deepseek-r1" },
            Quantize = new QuantizeSpec { Formats = ["merged"], MeasureQuality = false },
            Inputs = { ["adapter"] = Path.Combine(directory.Path, "adapter") },
        };
        var output = Path.Combine(directory.Path, "out");
        var events = new List<EngineEvent>();
        await QuantizationRun.RunAsync(job, output, events.Add, (_, _) => 0);

        var merged = Path.Combine(output, "merged");
        var layers = GgufFixtures.Qwen2.NumHiddenLayers;
        Assert.Contains(events, e => e is LogEvent log &&
            log.Message == $"merged {layers} LoRA pairs (scaling 2) into a copy of {baseDirectory}, written to {merged} ({baseDirectory} itself is unchanged)");
        Assert.True(File.Exists(Path.Combine(merged, "model.safetensors")));
        Assert.Equal(before, System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(weights)));
    }

    [Fact]
    public async Task The_trained_template_goes_into_merged_and_the_gguf_and_a_different_one_is_refused_naming_both()
    {
        using var directory = new TempDirectory();
        var (job, adapter) = SmallJob(directory, ["merged", "gguf_f16"]);
        var trained = Tuneforge.Text.ChatTemplateText.Of(Tuneforge.Text.ChatTemplates.Get("deepseek-r1"));
        Tuneforge.Text.ChatTemplateText.Write(adapter, trained);
        var output = Path.Combine(directory.Path, "out");
        await QuantizationRun.RunAsync(job, output, _ => { }, (_, _) => 0);

        var gguf = GgufFile.Read(Path.Combine(output, "model-f16.gguf"));
        Assert.Equal(trained, (string)gguf.Metadata[GgufModelMetadata.ChatTemplateKey].Value);
        Assert.Equal(trained, Tuneforge.Text.ChatTemplateText.Read(Path.Combine(output, "merged")));
        Assert.Equal(trained, JsonNode.Parse(File.ReadAllText(Path.Combine(output, "merged", "tokenizer_config.json")))!["chat_template"]!.GetValue<string>());
        Assert.Equal(trained, Tuneforge.Text.HfTokenizer.Load(Path.Combine(output, "merged")).ChatTemplateJinja);
        Assert.Equal(trained, Tuneforge.Text.ChatTemplateText.Read(output));

        var other = job with { Model = job.Model! with { ChatTemplate = "tokenizer" } };
        var error = await Assert.ThrowsAsync<Tuneforge.Text.ChatTemplateException>(() => QuantizationRun.RunAsync(other, Path.Combine(directory.Path, "out2"), _ => { }, (_, _) => 0));
        Assert.StartsWith($"{Path.Combine(adapter, "chat_template.jinja")} (the template the model was trained with) and ", error.Message);
        Assert.Contains("tokenizer_config.json chat_template (what the pipeline's model.chat_template resolves to) differ from line 1, column 2 (stored: ", error.Message);
    }

    private static (EngineJob Job, string Adapter) SmallJob(TempDirectory directory, List<string> formats)
    {
        var baseDirectory = Path.Combine(directory.Path, "base");
        var adapter = Path.Combine(directory.Path, "adapter");
        using (var model = TinyModels.Random(GgufFixtures.Qwen2 with { HiddenSize = 64, IntermediateSize = 128, HeadDim = 16 }, seed: 43))
        {
            PretrainedModel.Save(model, baseDirectory);
            PeftAdapterFixture.Write(adapter, model, rank: 2, alpha: 4, false, ["q_proj"], seed: 44);
        }
        foreach (var file in Directory.EnumerateFiles(TokenizerLocator.Find("deepseek-r1"), "*.json"))
            File.Copy(file, Path.Combine(baseDirectory, Path.GetFileName(file)));
        var job = new EngineJob
        {
            Verb = "quantize",
            Model = new ModelSpec { Source = baseDirectory, ChatTemplate = "deepseek-r1" },
            Quantize = new QuantizeSpec { Formats = formats, MeasureQuality = false },
            Inputs = { ["adapter"] = adapter },
        };
        return (job, adapter);
    }
}
