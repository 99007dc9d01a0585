using System.Text;
using Tuneforge.Metrics;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Packaging.Tests;

/// <summary>The stage outputs a release is made of, written into a fresh temporary folder (as Train, Evaluate and Quantize would).</summary>
internal sealed class ReleaseFixture : IDisposable
{
    public ReleaseFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "tuneforge-packaging-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(Root, "train", "adapter"));
        Directory.CreateDirectory(Path.Combine(Root, "evaluate", "plots"));
        Directory.CreateDirectory(Path.Combine(Root, "quantize"));
        Write("train/adapter/adapter_config.json", "{\"base_model_name_or_path\": \"preset:tiny-r1\", \"peft_type\": \"LORA\", \"r\": 16, \"lora_alpha\": 32, \"revision\": null}\n");
        File.WriteAllBytes(Path.Combine(Root, "train", "adapter", "adapter_model.safetensors"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());
        Write("train/trainer_state.json", "{\"global_step\": 60, \"best_metric\": 2.5, \"log_history\": [{\"step\": 5, \"loss\": 9.1}, {\"step\": 60, \"loss\": 3.25}, {\"step\": 60, \"train_loss\": 4.1, \"train_runtime\": 812.5, \"train_tokens_per_second\": 77.3}], \"resume\": {\"tokens_seen\": 9000, \"train_seconds\": 812.49}}\n");
        Write("clean/stats.json", "{\"input\": 833, \"kept\": 674, \"rejected\": 159, \"rejected_by_reason\": {\"near_duplicate\": 142, \"exact_duplicate\": 17}}\n");
        Write("split/split.json", "{\"seed\": 42, \"counts\": {\"train\": 539, \"val\": 68, \"test\": 67}, \"by_category\": {\"发票\": {\"train\": 92, \"val\": 12, \"test\": 11}}}\n");
        Write("evaluate/predictions.jsonl",
            "{\"id\":\"a\",\"category\":\"发票\",\"prompt\":\"发票多久能开\",\"reference\":\"订单完成后30天内可以申请开票\",\"prediction\":\"订单完成后30天内可以开票\",\"base_prediction\":\"不知道\",\"prompt_tokens\":9,\"completion_tokens\":8,\"base_completion_tokens\":3}\n" +
            "{\"id\":\"b\",\"category\":\"发票\",\"prompt\":\"能开专票吗\",\"reference\":\"可以开增值税专用发票\",\"prediction\":\"可以开专用发票\",\"base_prediction\":\"可以\",\"prompt_tokens\":7,\"completion_tokens\":6,\"base_completion_tokens\":2}\n");
        var report = Scoring.ScoreFile(Path.Combine(Root, "evaluate", "predictions.jsonl"), new ScoringOptions { Bootstrap = new Tuneforge.Metrics.Statistics.BootstrapOptions(Samples: 50) });
        MetricsReportJson.Write(Path.Combine(Root, "evaluate", "metrics.json"), report);
        Write("evaluate/report.md", "# Evaluation\n\nrougeL up.\n");
        Write("evaluate/report.html", "<html><body>report</body></html>\n");
        File.WriteAllBytes(Path.Combine(Root, "evaluate", "plots", "rouge.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        Write("quantize/quality.json", "{\"schema\": \"tuneforge.quality/1\", \"chat_template\": \"deepseek-r1\", \"generation_examples\": 2, \"formats\": [" +
            "{\"format\": \"merged\", \"bytes\": 1000000, \"perplexity\": 12.5, \"rougeL\": 0.5, \"rougeL_delta\": 0.0}," +
            "{\"format\": \"gguf_q4_0\", \"bytes\": 300000, \"perplexity\": 13.1, \"rougeL\": 0.45, \"rougeL_delta\": -0.05}]}\n");
        File.WriteAllBytes(Path.Combine(Root, "quantize", "model-q4_0.gguf"), Encoding.ASCII.GetBytes("GGUF").Concat(new byte[5000]).ToArray());
        Write("train/adapter/chat_template.jinja", TrainedTemplate);
        Write("quantize/chat_template.jinja", TrainedTemplate);
    }

    /// <summary>The template Train stored and Quantize wrote into the GGUF files: the deepseek-r1 template's Jinja form.</summary>
    public static string TrainedTemplate => Tuneforge.Text.ChatTemplateText.Of(Tuneforge.Text.ChatTemplates.Get("deepseek-r1"));

    public string Root { get; }

    public string Path_(string relative) => Path.Combine(Root, relative);

    public static PipelineSpec Spec(params string[] gguf) => new()
    {
        Name = "support-bot",
        Version = "1.2.0",
        Description = "Answers shop policy questions.",
        Model = new ModelSpec { Source = "preset:tiny-r1", ChatTemplate = "deepseek-r1" },
        Package = new PackageSpec { IncludeGguf = [.. gguf], IntendedUse = "Customer support drafts.", Limitations = "Sample data only." },
    };

    public ReleaseRequest Request(string output, params string[] gguf) => new()
    {
        Spec = Spec(gguf),
        OutputDirectory = output,
        TrainDirectory = Path_("train"),
        CleanStatsPath = Path_("clean/stats.json"),
        SplitStatsPath = Path_("split/split.json"),
        EvaluateDirectory = Path_("evaluate"),
        QuantizeDirectory = Path_("quantize"),
        StageKeys = new Dictionary<string, string> { ["Clean"] = "aa11", ["Train"] = "bb22" },
        Tools = new Dictionary<string, string> { ["tuneforge"] = "0.1.0" },
        Packages = new Dictionary<string, string> { ["TorchSharp"] = "0.107.0" },
        GitCommit = "0123456789abcdef0123456789abcdef01234567",
        GitDirty = false,
        ForbiddenPaths = [Root],
    };

    public void Write(string relative, string text)
    {
        var path = Path_(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
