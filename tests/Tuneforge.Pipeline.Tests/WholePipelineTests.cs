using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace Tuneforge.Pipeline.Tests;

/// <summary>The whole chain, Clean to Package, through the real build and engine processes, on pipelines/smoke.yaml
/// in a scratch root; then again, to see every stage served from the cache.</summary>
public sealed class WholePipelineTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "tuneforge-e2e", Guid.NewGuid().ToString("N"));

    static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
    static string BuildDll => Repository.File($"build/bin/{Configuration}/net10.0/_build.dll");
    static string EngineDll => Repository.File($"src/Tuneforge.Engine.Cli/bin/{Configuration}/net10.0/tuneforge-engine.dll");

    public WholePipelineTests()
    {
        Directory.CreateDirectory(Path.Combine(root, ".nuke"));
        Copy("pipelines/smoke.yaml");
        Copy("data/samples/support-zh.jsonl");
        foreach (var file in Directory.GetFiles(Repository.File("data/tokenizers/deepseek-r1")))
            Copy(Path.GetRelativePath(Repository.Root, file));
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    void Copy(string relative)
    {
        var target = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Repository.File(relative), target);
    }

    (int ExitCode, string Output) Build(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        string[] arguments = [BuildDll, .. args, "--root", root, "--pipeline", "pipelines/smoke.yaml"];
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["TUNEFORGE_ENGINE"] = EngineDll;
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void The_whole_chain_runs_and_a_second_run_is_served_from_the_cache()
    {
        if (!File.Exists(BuildDll) || !File.Exists(EngineDll))
            Assert.Fail($"Build the build first (./build.sh, or ./build.sh Test runs this test): {BuildDll} or {EngineDll} is missing.");

        var (code, output) = Build("Package");
        Assert.True(code == 0, output);
        foreach (var stage in new[] { "Clean", "Split", "Train", "Evaluate", "Quantize", "Package" })
            Assert.Matches($@"{stage}\s+Succeeded", output);

        var artifacts = Path.Combine(root, "artifacts", "smoke");
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(artifacts, "evaluate", "metrics.json"))))
        {
            Assert.Equal(6, metrics.RootElement.GetProperty("overall").GetProperty("count").GetInt32());
            Assert.True(metrics.RootElement.GetProperty("overall").GetProperty("tuned").GetProperty("perplexity").GetDouble() > 1);
        }
        Assert.True(File.Exists(Path.Combine(artifacts, "train", "adapter", "adapter_model.safetensors")));
        Assert.True(File.Exists(Path.Combine(artifacts, "evaluate", "report.html")));
        Assert.True(File.Exists(Path.Combine(artifacts, "quantize", "quality.json")));
        var archive = Assert.Single(Directory.GetFiles(Path.Combine(root, "dist"), "*.zip"));
        Assert.Equal("smoke-0.0.1.zip", Path.GetFileName(archive));
        using (var zip = ZipFile.OpenRead(archive))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("manifest.json", names);
            Assert.Contains("MODEL_CARD.md", names);
            Assert.Contains(names, n => n.EndsWith("adapter_model.safetensors", StringComparison.Ordinal));
            Assert.Contains(names, n => n.EndsWith(".gguf", StringComparison.Ordinal));
        }
        var firstArchive = File.ReadAllBytes(archive);

        var (again, secondOutput) = Build("Package");
        Assert.True(again == 0, secondOutput);
        foreach (var stage in new[] { "Clean", "Split", "Train", "Evaluate", "Quantize", "Package" })
            Assert.Matches($@"{stage}\s+UpToDate", secondOutput);
        Assert.Equal(firstArchive, File.ReadAllBytes(archive));

        var (changed, thirdOutput) = Build("Package", "--set", "evaluate.max_new_tokens=8");
        Assert.True(changed == 0, thirdOutput);
        Assert.Matches(@"Train\s+UpToDate", thirdOutput);      // an evaluation setting never retrains
        Assert.Matches(@"Evaluate\s+Succeeded", thirdOutput);
    }

    [Fact]
    public void A_full_fine_tune_is_evaluated_quantized_and_packaged_as_a_whole_model()
    {
        if (!File.Exists(BuildDll) || !File.Exists(EngineDll))
            Assert.Fail($"Build the build first (./build.sh, or ./build.sh Test runs this test): {BuildDll} or {EngineDll} is missing.");

        var (code, output) = Build("Package", "--set", "train.method=full", "--set", "train.max_steps=2", "--set", "quantize.formats=[merged, gguf_q8_0]");
        Assert.True(code == 0, output);
        var artifacts = Path.Combine(root, "artifacts", "smoke");
        Assert.True(File.Exists(Path.Combine(artifacts, "train", "model", "config.json")));
        Assert.False(Directory.Exists(Path.Combine(artifacts, "train", "adapter")));
        using var zip = ZipFile.OpenRead(Path.Combine(root, "dist", "smoke-0.0.1.zip"));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("model/config.json", names);
        Assert.Contains(names, n => n.StartsWith("model/", StringComparison.Ordinal) && n.EndsWith(".safetensors", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("adapter/", StringComparison.Ordinal));
        using var card = new StreamReader(zip.GetEntry("MODEL_CARD.md")!.Open());
        var text = card.ReadToEnd();
        Assert.Contains("library_name: transformers", text);
        Assert.Contains("AutoModelForCausalLM.from_pretrained(\"model\")", text);
    }
}
