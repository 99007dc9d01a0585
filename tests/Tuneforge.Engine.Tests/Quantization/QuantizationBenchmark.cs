using System.Diagnostics;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Bench;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Quantization;
using Tuneforge.Engine.Tests.Merging;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Pipeline.Spec;
using Xunit.Abstractions;

namespace Tuneforge.Engine.Tests.Quantization;

/// <summary>
/// A benchmark, not a test (skipped unless TUNEFORGE_BENCH=1): the quantize run on the engine bench's ~100M Qwen2 shape
/// (hidden 768, 12 layers) with the DeepSeek-R1 vocabulary, seeded weights and a rank-16 adapter, over the default
/// pipeline's test split. Writes file sizes, perplexities and times per format to TUNEFORGE_BENCH_OUT (quantize-bench.json).
///   TUNEFORGE_BENCH=1 dotnet test tests/Tuneforge.Engine.Tests -c Release --filter QuantizationBenchmark
/// </summary>
public sealed class QuantizationBenchmark(ITestOutputHelper output)
{
    [BenchFact]
    public async Task Quantize_the_100M_bench_model()
    {
        var root = TestRoot();
        var test = Path.Combine(root, "artifacts", "default", "split", "test.jsonl");
        if (!File.Exists(test)) throw new InvalidOperationException($"{test}: run ./build.sh Split first");
        using var directory = new TempDirectory();
        var baseDirectory = Path.Combine(directory.Path, "base");
        var config = EngineBenchmark.Qwen2_100M with { VocabSize = 129_280, BosTokenId = 0, EosTokenIds = [1], MaxPositionEmbeddings = 4096 };
        var clock = Stopwatch.StartNew();
        using (var model = new CausalLM(config, TorchSharp.torch.CPU, TorchSharp.torch.ScalarType.Float32))
        {
            ParameterInitializer.Initialize(model, seed: 0);
            PretrainedModel.Save(model, baseDirectory);
            PeftAdapterFixture.Write(Path.Combine(directory.Path, "adapter"), model, rank: 16, alpha: 32, false, ["q_proj", "k_proj", "v_proj", "o_proj"], seed: 1);
            output.WriteLine($"{model.ParameterCount():N0} parameters, written in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        foreach (var file in Directory.EnumerateFiles(TokenizerLocator.Find("deepseek-r1"), "*.json"))
            File.Copy(file, Path.Combine(baseDirectory, Path.GetFileName(file)));

        var job = new EngineJob
        {
            Verb = "quantize",
            Model = new ModelSpec { Source = baseDirectory, ChatTemplate = "deepseek-r1" },
            Quantize = new QuantizeSpec { Formats = ["merged", "int8", "int4", "gguf_f16", "gguf_q8_0", "gguf_q4_0"], GroupSize = 64, MaxSamples = 16 },
            Evaluate = new EvaluateSpec { MaxNewTokens = 32, BatchSize = 8 },
            Inputs = { ["adapter"] = Path.Combine(directory.Path, "adapter"), ["test"] = test },
        };
        var scorer = new Tuneforge.Metrics.Rouge.RougeScorer(new Tuneforge.Metrics.Rouge.RougeTokenizerOptions());
        var result = await QuantizationRun.RunAsync(job, Path.Combine(directory.Path, "out"), e => { if (e is LogEvent log) output.WriteLine(log.Message); },
            (reference, answer) => scorer.Score(reference, answer).RougeL.F1);
        var text = StageResult.ToEvent("quantize", result).Data.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        output.WriteLine(text);
        var destination = Environment.GetEnvironmentVariable("TUNEFORGE_BENCH_OUT") ?? Path.Combine(root, "artifacts", "bench");
        Directory.CreateDirectory(destination);
        File.WriteAllText(Path.Combine(destination, "quantize-bench.json"), text + "\n");
    }

    private static string TestRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Tuneforge.slnx"))) return folder.FullName;
        throw new InvalidOperationException("repository root not found above the test folder");
    }
}

/// <summary>A fact that runs only with TUNEFORGE_BENCH=1 (benchmarks are commands, not part of the suite).</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TUNEFORGE_BENCH") != "1") Skip = "a benchmark: set TUNEFORGE_BENCH=1 to run it";
    }
}
