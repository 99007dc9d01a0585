using Tuneforge.Data.Training;
using System.Diagnostics;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Evaluation;
using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Merging;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Quantization.Quality;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization;

/// <summary>
/// The <c>quantize</c> verb's work: merge the adapter into the base, write <c>merged/</c> (a Hugging Face folder),
/// <c>int8/</c> and <c>int4/</c> (this engine's weight-only formats) and <c>model-&lt;type&gt;.gguf</c> files, then
/// measure each format on the test split (perplexity, ROUGE-L change against merged) into quality.json.
/// GGUF formats are measured in the engine on the weights dequantized from the file, exactly as llama.cpp reads them.
/// </summary>
public static class QuantizationRun
{
    /// <param name="rougeL">ROUGE-L F1 of a prediction against a reference (the metrics library's scorer).</param>
    public static async Task<QuantizeResult> RunAsync(EngineJob job, string outputDirectory, Action<EngineEvent> emit, Func<string, string, double> rougeL,
        CancellationToken cancellation = default)
    {
        var modelSpec = job.Section(job.Model, "model");
        var spec = job.Quantize ?? new QuantizeSpec();
        var evaluate = job.Evaluate ?? new EvaluateSpec();
        var unknown = spec.Formats.FirstOrDefault(f => !QuantizeSpec.KnownFormats.Contains(f));
        if (unknown is not null) throw new EngineException($"quantize.formats: '{unknown}' is not a format", $"Use any of: {string.Join(", ", QuantizeSpec.KnownFormats)}.");
        if (modelSpec.NumThreads > 0) set_num_threads(modelSpec.NumThreads);
        outputDirectory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var outputs = new QuantizeOutputs(outputDirectory);
        var timings = new Dictionary<string, double>();
        var peaks = new Training.StepPeaks();
        var clock = Stopwatch.StartNew();

        // A full fine-tune hands over its whole model (tuned_model); LoRA hands over an adapter for the base.
        var source = job.OptionalInput(QuantizeStage.TunedModelInput) ?? modelSpec.Source;
        var location = await ModelLocation.ResolveAsync(source, m => emit(new LogEvent(m)), cancellation);
        var tokenizer = HfTokenizer.Load(location.TokenizerDirectory);
        var chat = ChatSetup.From(modelSpec, tokenizer);
        var (template, render) = (chat.Template, chat.Options);
        var trainedWeights = job.OptionalInput(QuantizeStage.AdapterInput) ?? job.OptionalInput(QuantizeStage.TunedModelInput);
        if (trainedWeights is not null && !chat.RequireStoredIn(trainedWeights))
            emit(new LogEvent($"{trainedWeights} stores no chat template (trained before templates were stored): writing {chat.TemplateOrigin}", "warning"));
        ChatTemplateText.Write(outputs.Directory, chat.TemplateText);   // what merged/ and every GGUF file carry, for Package's check
        var storedType = StoredType(location);
        // The quality check computes in model.torch_dtype, as Predict does: bfloat16 keeps a 7B at its size, not doubled.
        var compute = ComputeOptions.Cpu(ComputeOptions.DTypeFor(modelSpec, CPU)).WithNativeMath();

        // 1. Merge, one tensor at a time from the base checkpoint (a preset built from a seed is in memory already).
        var mergedDirectory = outputs.Folder("merged");
        using (var baseWeights = OpenBase(location, modelSpec.PresetSeed))
        {
            var adapterDirectory = job.OptionalInput(QuantizeStage.AdapterInput);
            if (adapterDirectory is null) emit(new LogEvent("no adapter in the job: exporting the base model as it is", "warning"));
            using var adapter = adapterDirectory is null ? null : LoraAdapterFiles.Read(adapterDirectory);
            MergedModelWriter.Write(baseWeights, adapter, mergedDirectory, location.TokenizerDirectory, location.Directory, location.Preset, storedType);
            ChatTemplateText.WriteBesideWeights(mergedDirectory, chat.TemplateText);
            // The merge changes the loaded weights only: the base model's own files are never written.
            if (adapter is not null)
                emit(new LogEvent($"merged {adapter.Pairs.Count} LoRA pairs (scaling {adapter.Scaling:0.###}) into a copy of {location.Source}, written to {mergedDirectory} ({location.Source} itself is unchanged)"));
            emit(new ArtifactEvent(mergedDirectory, "model", FolderBytes(mergedDirectory)));
            timings["merge_s"] = Seconds(clock);
            peaks.EndOf("merge");
        }

        // 2. GGUF files from the merged folder, a tensor at a time.
        using (var merged = new CheckpointWeights(mergedDirectory))
        {
            foreach (var format in spec.Formats.Where(f => f.StartsWith("gguf_", StringComparison.Ordinal)))
            {
                var type = GgufFileTypes.Parse(format);
                var path = outputs.GgufPath(format);
                var step = Stopwatch.StartNew();
                var export = GgufExporter.Export(merged, tokenizer, chat.TemplateText, path, type, ModelName(modelSpec.Source),
                    (done, total) => emit(new ProgressEvent(format, done, total, "tensors")));
                emit(new ArtifactEvent(path, "gguf", export.Bytes));
                timings[$"{format}_s"] = Math.Round(step.Elapsed.TotalSeconds, 2);
                peaks.EndOf(format);
            }
        }

        // 3. Engine weight-only formats, quantized from the merged folder a tensor at a time.
        foreach (var format in spec.Formats.Where(f => f is "int8" or "int4"))
        {
            var step = Stopwatch.StartNew();
            var scheme = WeightQuantization.Parse(format, spec.GroupSize);
            var directory = outputs.Folder(format);
            using (var merged = new CheckpointWeights(mergedDirectory))
                WriteQuantizedFolder(merged, scheme, directory, mergedDirectory);
            emit(new ArtifactEvent(directory, "model", FolderBytes(directory)));
            timings[$"{format}_s"] = Math.Round(step.Elapsed.TotalSeconds, 2);
            peaks.EndOf(format);
        }

        // 4. Quality per format.
        var formats = new List<FormatQuality>();
        var examples = spec.MeasureQuality && job.OptionalInput(QuantizeStage.TestInput) is { } testFile
            ? QualityExamples.Build(TrainingRecordReader.Read(testFile).Take(spec.MaxSamples ?? int.MaxValue).ToList(), tokenizer, chat, job.Train?.MaxSeqLength ?? 2048)
            : [];
        if (spec.MeasureQuality && examples.Count == 0) emit(new LogEvent("no test examples: quality.json records sizes only", "warning"));
        double? referenceRouge = null;
        foreach (var format in new[] { "merged" }.Concat(spec.Formats.Where(f => f != "merged")))
        {
            cancellation.ThrowIfCancellationRequested();
            var path = QuantizeOutputs.RelativePath(format);
            var full = Path.Combine(outputDirectory, path);
            var bytes = File.Exists(full) ? new FileInfo(full).Length : FolderBytes(full);
            if (examples.Count == 0)
            {
                formats.Add(new FormatQuality(format, path, bytes, null, null, null));
                continue;
            }
            var step = Stopwatch.StartNew();
            double perplexity;
            IReadOnlyList<string> answers;
            // Each format's model is gone before the next loads and before its step's peak is read.
            using (var model = LoadFormat(format, full, mergedDirectory, compute))
            {
                perplexity = PerplexityMeter.Measure(model, examples.Select(e => (e.Encoded, "")).ToList(), evaluate.BatchSize, cancellation,
                    (done, total) => emit(new ProgressEvent($"perplexity {format}", done, total, "examples"))).Overall;
                answers = AnswerGenerator.Answer(model, mergedDirectory, tokenizer, template, render, examples, evaluate.MaxNewTokens, evaluate.BatchSize,
                    (done, total) => emit(new ProgressEvent($"generate {format}", done, total, "examples")), cancellation);
            }
            var rouge = examples.Zip(answers, (e, a) => rougeL(e.Reference, a)).Average();
            referenceRouge ??= rouge;
            formats.Add(new FormatQuality(format, path, bytes, perplexity, rouge, rouge - referenceRouge));
            emit(new LogEvent($"{format}: {bytes / 1048576.0:0.0} MiB, perplexity {perplexity:0.###}, ROUGE-L {rouge:0.####} ({rouge - referenceRouge:+0.####;-0.####;0})"));
            timings[$"quality_{format}_s"] = Math.Round(step.Elapsed.TotalSeconds, 2);
            peaks.EndOf($"quality_{format}");
        }
        if (!spec.Formats.Contains("merged"))
        {
            formats.RemoveAll(f => f.Format == "merged");
            Directory.Delete(mergedDirectory, recursive: true);
        }
        new QualityReport(template.Name, examples.Count, examples.Count, evaluate.MaxNewTokens, formats).Write(outputs.QualityPath);
        emit(new ArtifactEvent(outputs.QualityPath, "quality", new FileInfo(outputs.QualityPath).Length));
        timings["total_s"] = Seconds(clock);

        return new QuantizeResult
        {
            ChatTemplate = template.Name,
            Examples = examples.Count,
            Formats = formats.Select(f => new QuantizedFormatResult
            {
                Format = f.Format,
                Bytes = f.Bytes,
                Perplexity = f.Perplexity is { } p && !double.IsNaN(p) ? Math.Round(p, 4) : null,
                RougeLDelta = f.RougeLDelta is { } d ? Math.Round(d, 4) : null,
            }).ToList(),
            Timings = timings,
            PeakRssByStep = peaks.ByStep.ToDictionary(),
            PeakRssBytes = peaks.Overall,
        };
    }

    private static IWeightSource OpenBase(ModelLocation location, long presetSeed) =>
        location.Directory is { } directory ? new CheckpointWeights(directory)
        : new ModuleWeights(ModelLoader.Load(location, ComputeOptions.Cpu(), presetSeed), ownsModel: true);

    // general.name: the base's short name ("tiny-r1", "DeepSeek-R1-Distill-Qwen-1.5B") and that it is tuned.
    private static string ModelName(string source) =>
        source.Split('@')[0].TrimEnd('/').Split('/', ':').Last() + "-tuned";

    private static CausalLM LoadFormat(string format, string path, string mergedDirectory, ComputeOptions compute)
    {
        if (format == "merged") return PretrainedModel.Load(path, compute);
        if (format is "int8" or "int4") return QuantizedModel.Load(path, compute);
        var config = ModelConfig.Load(Path.Combine(mergedDirectory, PretrainedModel.ConfigFileName));
        var model = new CausalLM(config, compute.Device, compute.DType, compute.Activations);
        GgufWeights.Load(model, GgufFile.Read(path));
        model.eval();
        return model;
    }

    // The quantized folder carries everything of merged/ but its weights and config.
    private static void WriteQuantizedFolder(IWeightSource merged, WeightQuantization scheme, string directory, string mergedDirectory)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        QuantizedModel.Write(merged, scheme, directory);
        foreach (var file in Directory.EnumerateFiles(mergedDirectory))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith("model", StringComparison.Ordinal) || name == PretrainedModel.ConfigFileName) continue;
            File.Copy(file, Path.Combine(directory, name), overwrite: true);
        }
    }

    // The merged model is stored as its base was (bfloat16 for the real R1 distills); presets are float32.
    private static ScalarType StoredType(ModelLocation location)
    {
        if (location.Directory is null) return ScalarType.Float32;
        var stored = ModelConfig.Load(Path.Combine(location.Directory, PretrainedModel.ConfigFileName)).TorchDtype;
        return stored is "bfloat16" or "float16" ? ComputeOptions.ParseDType(stored) : ScalarType.Float32;
    }

    private static long FolderBytes(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;

    private static double Seconds(Stopwatch clock) => Math.Round(clock.Elapsed.TotalSeconds, 2);
}
