using System.Text.Json.Nodes;
using Tuneforge.Engine.Bench;
using Tuneforge.Engine.Cli;
using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Tests.Gguf;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Serve.LlamaCpp;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Bench;

/// <summary>bench-decode measures the same work on both sides: on the same float32 weights, the engine and llama.cpp
/// decode the same greedy tokens for every sequence of a batch, and the verb reports each system at each batch.</summary>
public sealed class DecodeBenchmarkTests
{
    [Fact]
    public void The_engine_and_llama_cpp_decode_the_same_greedy_tokens_for_every_sequence_of_a_batch()
    {
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(GgufFixtures.Qwen2, seed: 11);
        var gguf = GgufFixtures.Export(model, directory.Path, GgufFileType.F32);
        var prompts = DecodeTiming.Prompts(batch: 3, length: 8, model.Config.VocabSize, seed: 1);

        var engine = EngineDecodeBenchmark.Measure(model, prompts, steps: 6);
        using var llama = LlamaCppDecodeBenchmark.Load(gguf, threads: 2, maxBatch: 3, positionsPerSequence: 24);
        var reference = llama.Measure(prompts, steps: 6);

        Assert.Equal(3, engine.Generated.Count);
        Assert.All(engine.Generated, tokens => Assert.Equal(7, tokens.Length));   // the prefill's token and six steps'
        Assert.Equal(reference.Generated, engine.Generated);
        Assert.NotEqual(engine.Generated[0], engine.Generated[1]);   // different prompts, different continuations
        Assert.Equal(3 * 6 / engine.DecodeSeconds, engine.TokensPerSecond, 6);
        // A second run of the same prompts after others gives the same tokens: the cache was cleared in between.
        Assert.Equal(reference.Generated, llama.Measure(prompts, steps: 6).Generated);
    }

    [Fact]
    public async Task The_verb_reports_every_system_at_every_batch_with_its_ratio_to_the_first_gguf()
    {
        using var directory = new TempDirectory();
        using (var model = TinyModels.Random(GgufFixtures.Qwen2, seed: 11))
        {
            PretrainedModel.Save(model, directory.File("model"), ScalarType.Float32);
            GgufFixtures.Export(model, directory.Path, GgufFileType.F32);
            GgufFixtures.Export(model, directory.Path, GgufFileType.Q8_0);
        }
        var ggufs = $"{directory.File("model-f32.gguf")},{directory.File("model-q8_0.gguf")}";
        var (output, errors) = (new StringWriter(), new StringWriter());
        var code = await EngineCli.RunAsync(["bench-decode", "--model", directory.File("model"), "--gguf", ggufs, "--dtypes", "float32",
            "--batches", "1,2", "--prompt", "4", "--steps", "3", "--rounds", "1", "--format", "json"], output, errors);

        Assert.True(code == 0, errors.ToString() + output);
        var result = output.ToString().Split('\n').Select(EventSerializer.TryParse).OfType<ResultEvent>().Single();
        var points = result.Data!["points"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(["engine float32", "llama.cpp model-f32", "llama.cpp model-q8_0"], points.Where(p => (int)p["batch"]! == 1).Select(p => (string)p["system"]!));
        Assert.Equal(6, points.Count);
        Assert.All(points.Where(p => (string)p["system"]! == "llama.cpp model-f32"), p => Assert.Equal(1.0, (double)p["ratio_to_reference"]!));
        Assert.All(points, p => Assert.True((double)p["decode_tokens_per_s"]! > 0));
        Assert.Contains("| engine float32 | 2 |", (string)result.Data["table"]!);
    }

    [Fact]
    public async Task A_missing_gguf_file_is_named_with_where_to_get_one()
    {
        using var directory = new TempDirectory();
        using (var model = TinyModels.Random(GgufFixtures.Qwen2, seed: 11))
            PretrainedModel.Save(model, directory.File("model"), ScalarType.Float32);
        var (output, errors) = (new StringWriter(), new StringWriter());
        var code = await EngineCli.RunAsync(["bench-decode", "--model", directory.File("model"), "--gguf", directory.File("absent.gguf"), "--format", "json"], output, errors);

        Assert.NotEqual(0, code);
        Assert.Contains($"bench-decode: {directory.File("absent.gguf")}: GGUF file not found", output.ToString() + errors);
    }
}
