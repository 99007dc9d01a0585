using Tuneforge.Packaging.Archive;
using Tuneforge.Packaging.Card;
using Tuneforge.Packaging.Manifest;
using Tuneforge.Packaging.Ollama;
using Tuneforge.Packaging.Secrets;
using Tuneforge.Protocol;
using Tuneforge.Text;

namespace Tuneforge.Packaging;

/// <summary>
/// Builds <c>&lt;name&gt;-&lt;version&gt;.zip</c>: the adapter (or the full model of a full fine-tune), MODEL_CARD.md, the evaluation report and metrics,
/// data statistics, quality.json, optionally GGUF files with their Ollama Modelfiles, and manifest.json over all of
/// them; plus <c>.zip.sha256</c> beside it. The same inputs give the same bytes (see <see cref="DeterministicZipWriter"/>).
/// </summary>
public static class ReleasePackager
{
    public static ReleaseResult Build(ReleaseRequest request)
    {
        var spec = request.Spec;
        var entries = new List<ArchiveEntry>();
        var train = new TrainOutputs(request.TrainDirectory);
        var weights = train.Weights();
        AddFolder(entries, weights.IsAdapter ? TrainOutputs.AdapterFolder : TrainOutputs.ModelFolder, weights.Directory, required: true);
        if (File.Exists(train.TrainerStatePath))
            entries.Add(ArchiveEntry.FromText("training/trainer_state.json", TimingFields.Strip(File.ReadAllText(train.TrainerStatePath), train.TrainerStatePath)));
        AddFile(entries, "data/clean_stats.json", request.CleanStatsPath);
        AddFile(entries, "data/split.json", request.SplitStatsPath);
        var evaluate = request.EvaluateDirectory is null ? null : new EvaluateOutputs(request.EvaluateDirectory);
        if (evaluate is not null)
        {
            foreach (var file in new[] { EvaluateOutputs.MetricsFile, EvaluateOutputs.ReportMarkdownFile, EvaluateOutputs.ReportHtmlFile })
                AddFile(entries, $"evaluation/{file}", Path.Combine(evaluate.Directory, file));
            AddFolder(entries, "evaluation/plots", evaluate.PlotsDirectory, required: false);
        }
        var quantize = request.QuantizeDirectory is null ? null : new QuantizeOutputs(request.QuantizeDirectory);
        AddFile(entries, $"quantization/{QualityReport.FileName}", quantize?.QualityPath);

        var facts = ReleaseFacts.Read(request.CleanStatsPath, request.SplitStatsPath, train, weights, evaluate?.MetricsPath, quantize?.QualityPath);
        var chatTemplate = TrainedChatTemplate(weights, quantize);
        var ggufFiles = new List<string>();
        // Ollama answers with the decoding Evaluate measured: temperature 0 is its greedy decoding.
        var evaluated = spec.Evaluate.DoSample ? (Temperature: spec.Evaluate.Temperature, TopP: (double?)spec.Evaluate.TopP) : (Temperature: 0.0, TopP: null);
        foreach (var format in spec.Package.IncludeGguf.Distinct().Order(StringComparer.Ordinal))
        {
            var type = QuantizeOutputs.GgufType(format);
            var source = quantize?.GgufPath(format);
            if (source is null || !File.Exists(source))
                throw new InvalidDataException($"package.include_gguf lists '{format}', but Quantize wrote no {source ?? QuantizeOutputs.GgufFileName(format)}; add gguf_{type} to quantize.formats");
            var name = $"{spec.Name}-{type}.gguf";
            entries.Add(ArchiveEntry.FromFile($"gguf/{name}", source));
            entries.Add(ArchiveEntry.FromText($"gguf/Modelfile.{type}", OllamaModelfile.Write(name, chatTemplate ?? throw NoTemplate(weights, quantize), spec.Model.SystemPrompt, evaluated.Temperature, evaluated.TopP)));
            ggufFiles.Add(name);
        }

        entries.Add(ArchiveEntry.FromText(ModelCardWriter.FileName, ModelCardWriter.Write(spec, facts, ggufFiles)));

        SecretScanner.Check(entries, request.ForbiddenPaths);
        var manifest = new ReleaseManifest
        {
            Name = spec.Name,
            Version = spec.Version,
            Files = entries.Select(Describe).ToList(),
            Stages = request.StageKeys,
            Tools = request.Tools,
            Packages = request.Packages,
            GitCommit = request.GitCommit,
            GitDirty = request.GitDirty,
        };
        entries.Add(ArchiveEntry.FromText(ReleaseManifest.FileName, manifest.ToText()));

        Directory.CreateDirectory(request.OutputDirectory);
        var archive = Path.Combine(request.OutputDirectory, $"{spec.Name}-{spec.Version}.zip");
        DeterministicZipWriter.Write(archive, entries);
        string sha;
        using (var stream = File.OpenRead(archive)) sha = ReleaseManifest.Sha256(stream);
        File.WriteAllText(archive + ".sha256", $"{sha}  {Path.GetFileName(archive)}\n");
        return new ReleaseResult(archive, sha, new FileInfo(archive).Length, entries.Select(e => e.Path).Order(StringComparer.Ordinal).ToList());
    }

    // The template stored with the trained weights, checked against the one Quantize wrote into the GGUF files.
    private static string? TrainedChatTemplate(TrainedWeights weights, QuantizeOutputs? quantize)
    {
        var inGguf = quantize is null ? null : ChatTemplateText.Read(quantize.Directory);
        if (inGguf is null) return ChatTemplateText.Read(weights.Directory);
        ChatTemplateText.RequireStored(inGguf, $"{Path.Combine(quantize!.Directory, ChatTemplateText.FileName)} (written into the GGUF files)", weights.Directory);
        return inGguf;
    }

    private static InvalidDataException NoTemplate(TrainedWeights weights, QuantizeOutputs? quantize) => new(
        $"neither {Path.Combine(weights.Directory, ChatTemplateText.FileName)} nor {(quantize is null ? "Quantize's folder" : Path.Combine(quantize.Directory, ChatTemplateText.FileName))} " +
        "holds the chat template the model was trained with, which the Ollama Modelfile must render; run Train and Quantize again (./build.sh Package --force Quantize).");

    private static ManifestFile Describe(ArchiveEntry entry)
    {
        using var stream = entry.Open();
        return new ManifestFile(entry.Path, ReleaseManifest.Sha256(stream), entry.Length);
    }

    private static void AddFile(List<ArchiveEntry> entries, string archivePath, string? source)
    {
        if (source is not null && File.Exists(source)) entries.Add(ArchiveEntry.FromFile(archivePath, source));
    }

    private static void AddFolder(List<ArchiveEntry> entries, string archivePath, string source, bool required)
    {
        if (!Directory.Exists(source))
        {
            if (required) throw new DirectoryNotFoundException($"{source}: not found; the release needs it");
            return;
        }
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
            if (relative.Split('/').Any(p => p.StartsWith('.'))) continue;   // temporary and hidden files are not released
            entries.Add(ArchiveEntry.FromFile($"{archivePath}/{relative}", file));
        }
    }
}
