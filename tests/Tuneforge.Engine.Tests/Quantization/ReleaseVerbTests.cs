using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Tests.Merging;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Packaging.Archive;
using Tuneforge.Packaging.Manifest;

namespace Tuneforge.Engine.Tests.Quantization;

/// <summary>The merge and verify verbs through the command line; verify also in a process that has no libtorch.</summary>
public sealed class ReleaseVerbTests
{
    private static async Task<(int Code, List<EngineEvent> Events)> Run(params string[] args)
    {
        var output = new StringWriter();
        var code = await EngineCli.RunAsync(args, output, new StringWriter());
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => EventSerializer.TryParse(l)!).ToList());
    }

    [Fact]
    public async Task Merge_writes_a_folder_that_loads_with_the_adapter_folded_in()
    {
        using var directory = new TempDirectory();
        var baseDirectory = directory.File("base");
        using (var model = TinyModels.Random(TinyModels.Qwen2(), seed: 51))
        {
            PretrainedModel.Save(model, baseDirectory);
            PeftAdapterFixture.Write(directory.File("adapter"), model, rank: 2, alpha: 4, false, ["q_proj"], seed: 52);
        }
        File.WriteAllText(Path.Combine(baseDirectory, "tokenizer.json"), "{}");
        var (code, events) = await Run("merge", "--model", baseDirectory, "--adapter", directory.File("adapter"), "--out", directory.File("merged"));
        Assert.Equal(0, code);
        var result = Assert.Single(events.OfType<ResultEvent>()).Data;
        Assert.Equal(2, result["merged_weights"]!.GetValue<int>());
        Assert.Equal("float32", result["dtype"]!.GetValue<string>());
        using var merged = PretrainedModel.Load(directory.File("merged"), Runtime.ComputeOptions.Cpu());
        using var original = PretrainedModel.Load(baseDirectory, Runtime.ComputeOptions.Cpu());
        var q = merged.Model.Layers[0].SelfAttention.GetProjection("q_proj").parameters().First();
        var k = merged.Model.Layers[0].SelfAttention.GetProjection("k_proj").parameters().First();
        Assert.False(q.allclose(original.Model.Layers[0].SelfAttention.GetProjection("q_proj").parameters().First()));
        Assert.True(k.allclose(original.Model.Layers[0].SelfAttention.GetProjection("k_proj").parameters().First(), rtol: 0, atol: 0));
    }

    [Fact]
    public async Task Verify_takes_the_archive_as_its_argument_and_fails_naming_a_changed_file()
    {
        using var directory = new TempDirectory();
        var archive = WriteArchive(directory);
        var (ok, okEvents) = await Run("verify", archive);
        Assert.Equal(0, ok);
        Assert.True(Assert.Single(okEvents.OfType<ResultEvent>()).Data["ok"]!.GetValue<bool>());

        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Update))
        {
            zip.GetEntry("MODEL_CARD.md")!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("MODEL_CARD.md").Open());
            writer.Write("# a better card\n");
        }
        var (failed, events) = await Run("verify", archive);
        Assert.Equal(1, failed);
        var problems = Assert.Single(events.OfType<ResultEvent>()).Data["problems"]!.AsArray();
        Assert.Equal("MODEL_CARD.md", Assert.Single(problems)!["path"]!.GetValue<string>());
        Assert.Contains("MODEL_CARD.md", Assert.Single(events.OfType<ErrorEvent>()).Message);
    }

    [Fact]
    public void Verify_runs_in_a_process_where_libtorch_is_absent()
    {
        using var directory = new TempDirectory();
        var archive = WriteArchive(directory);
        // The engine's files without the native libraries (runtimes/): loading libtorch there would fail.
        var engine = Path.Combine(directory.Path, "engine");
        Directory.CreateDirectory(engine);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory).Where(f => !Path.GetFileName(f).Contains("torch", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".dll")))
            File.CreateSymbolicLink(Path.Combine(engine, Path.GetFileName(file)), file);
        Assert.False(Directory.Exists(Path.Combine(engine, "runtimes")));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(engine, "tuneforge-engine.dll"), "verify", archive }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {output}{errors}");
        Assert.Contains("\"ok\":true", output);
    }

    private static string WriteArchive(TempDirectory directory)
    {
        var card = "# card\n";
        var manifest = new ReleaseManifest
        {
            Name = "x",
            Version = "1.0.0",
            Files = [new ManifestFile("MODEL_CARD.md", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(card))), card.Length)],
        };
        var path = directory.File("x-1.0.0.zip");
        DeterministicZipWriter.Write(path, [ArchiveEntry.FromText("MODEL_CARD.md", card), ArchiveEntry.FromText(ReleaseManifest.FileName, manifest.ToText())]);
        return path;
    }
}
