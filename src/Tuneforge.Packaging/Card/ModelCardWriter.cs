using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Packaging.Card;

/// <summary>
/// MODEL_CARD.md in Hugging Face's shape (YAML front matter, then sections): base model and revision, data
/// statistics, hyperparameters, base-vs-tuned metrics, quantized formats, intended use, limits, how to use it.
/// Only facts from the stages' outputs and the spec; no times or machine paths, so the same inputs give the same text.
/// </summary>
public static class ModelCardWriter
{
    public const string FileName = "MODEL_CARD.md";

    public static string Write(PipelineSpec spec, ReleaseFacts facts, IReadOnlyList<string> ggufFiles)
    {
        var md = new StringBuilder();
        var baseModel = facts.AdapterConfig?["base_model_name_or_path"]?.GetValue<string>() ?? spec.Model.Source;
        var revision = facts.AdapterConfig?["revision"]?.GetValue<string>();
        md.Append("---\n");
        md.Append("base_model: ").Append(Yaml(baseModel)).Append('\n');
        md.Append("library_name: ").Append(facts.IsAdapter ? "peft" : "transformers").Append('\n');
        md.Append("license: ").Append(Yaml(spec.Package.License)).Append('\n');
        md.Append("pipeline_tag: text-generation\n");
        md.Append("tags:\n  - tuneforge\n").Append(facts.IsAdapter ? "  - lora\n" : "  - full-fine-tune\n");
        if (ggufFiles.Count > 0) md.Append("  - gguf\n");
        md.Append("---\n\n");
        md.Append("# ").Append(spec.Name).Append(' ').Append(spec.Version).Append("\n\n");
        if (spec.Description is { } description) md.Append(description).Append("\n\n");

        md.Append("## Base model\n\n");
        md.Append("| | |\n|---|---|\n");
        md.Append("| Source | `").Append(baseModel).Append("` |\n");
        md.Append("| Revision | ").Append(revision is null ? "not pinned (a preset or a local folder)" : $"`{revision}`").Append(" |\n");
        md.Append("| Chat template | ").Append(spec.Model.ChatTemplate).Append(" |\n\n");

        WriteData(md, facts);
        WriteTraining(md, spec, facts);
        WriteEvaluation(md, facts.Metrics, spec.Evaluate.DecodingDescription());
        WriteQuantized(md, facts);

        md.Append("## Intended use\n\n").Append(spec.Package.IntendedUse ?? "Not stated in the pipeline (package.intended_use).").Append("\n\n");
        md.Append("## Limitations\n\n").Append(spec.Package.Limitations ?? "Not stated in the pipeline (package.limitations).").Append(' ')
          .Append("The metrics above come from the held-out test split of the same data; answers outside its topics were not measured.\n\n");

        md.Append("## How to use\n\n");
        md.Append(facts.IsAdapter
            ? "With PEFT:\n\n```python\nfrom peft import AutoPeftModelForCausalLM\nmodel = AutoPeftModelForCausalLM.from_pretrained(\"adapter\")\n```\n\n"
            : "With transformers (the whole tuned model is in `model/`):\n\n```python\nfrom transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained(\"model\")\n```\n\n");
        if (ggufFiles.Count > 0)
        {
            md.Append("With Ollama (from the `gguf/` folder):\n\n```sh\n");
            foreach (var file in ggufFiles)
            {
                var format = Path.GetFileNameWithoutExtension(file).Split('-')[^1];
                md.Append("ollama create ").Append(spec.Name).Append('-').Append(format).Append(" -f Modelfile.").Append(format).Append('\n');
            }
            md.Append("```\n\n");
        }
        md.Append("`manifest.json` lists the SHA-256 of every file and the cache key of every stage; check them with `tuneforge-engine verify ")
          .Append(spec.Name).Append('-').Append(spec.Version).Append(".zip`.\n");
        return md.ToString();
    }

    private static void WriteData(StringBuilder md, ReleaseFacts facts)
    {
        md.Append("## Data\n\n");
        if (facts.CleanStats is null && facts.SplitStats is null)
        {
            md.Append("Not recorded.\n\n");
            return;
        }
        if (facts.CleanStats is { } clean)
        {
            md.Append(CultureInfo.InvariantCulture, $"Clean read {clean["input"]} records and kept {clean["kept"]}; rejected {clean["rejected"]}");
            if (clean["rejected_by_reason"] is JsonObject reasons && reasons.Count > 0)
                md.Append(" (").Append(string.Join(", ", reasons.Select(r => $"{r.Key.Replace('_', ' ')}: {r.Value}"))).Append(')');
            md.Append(".\n\n");
        }
        if (facts.SplitStats is { } split)
        {
            var counts = split["counts"] as JsonObject;
            md.Append(CultureInfo.InvariantCulture, $"Split (seed {split["seed"]}): train {counts?["train"]}, validation {counts?["val"]}, test {counts?["test"]}.\n\n");
            if (split["by_category"] is JsonObject categories && categories.Count > 0)
            {
                md.Append("| category | train | val | test |\n|---|---:|---:|---:|\n");
                foreach (var (category, value) in categories.OrderBy(c => c.Key, StringComparer.Ordinal))
                    md.Append(CultureInfo.InvariantCulture, $"| {category} | {value?["train"]} | {value?["val"]} | {value?["test"]} |\n");
                md.Append('\n');
            }
        }
    }

    private static void WriteTraining(StringBuilder md, PipelineSpec spec, ReleaseFacts facts)
    {
        var train = spec.Train;
        md.Append("## Training\n\n| hyperparameter | value |\n|---|---|\n");
        void Row(string name, object value) => md.Append(CultureInfo.InvariantCulture, $"| {name} | {value} |\n");
        Row("method", train.Method.ToString().ToLowerInvariant());
        Row("num_train_epochs", train.MaxSteps > 0 ? $"(max_steps {train.MaxSteps})" : train.NumTrainEpochs.ToString(CultureInfo.InvariantCulture));
        Row("per_device_train_batch_size × gradient_accumulation_steps", $"{train.PerDeviceTrainBatchSize} × {train.GradientAccumulationSteps}");
        Row("learning_rate", train.LearningRate.ToString("0.###e+0", CultureInfo.InvariantCulture));
        Row("lr_scheduler_type (warmup)", $"{train.LrSchedulerType.ToString().ToLowerInvariant()} ({(train.WarmupSteps > 0 ? $"{train.WarmupSteps} steps" : $"ratio {train.WarmupRatio.ToString(CultureInfo.InvariantCulture)}")})");
        Row("weight_decay, max_grad_norm", $"{train.WeightDecay.ToString(CultureInfo.InvariantCulture)}, {train.MaxGradNorm.ToString(CultureInfo.InvariantCulture)}");
        Row("max_seq_length", train.MaxSeqLength);
        Row("seed", train.Seed);
        if (train.Method != TrainMethod.Full)
        {
            var lora = train.Lora;
            Row("LoRA r, lora_alpha, lora_dropout", $"{lora.R}, {lora.LoraAlpha.ToString(CultureInfo.InvariantCulture)}, {lora.LoraDropout.ToString(CultureInfo.InvariantCulture)}{(lora.UseRslora ? " (rsLoRA)" : "")}");
            Row("target_modules", string.Join(", ", lora.TargetModules));
        }
        if (facts.TrainerState is { } state)
        {
            Row("optimizer steps", state.GlobalStep);
            var last = state.LogHistory.LastOrDefault(e => e["loss"] is not null);
            if (last?["loss"] is { } loss) Row("final training loss", Round(loss.GetValue<double>()));
            if (state.BestMetric is { } best) Row("best validation loss", Round(best));
        }
        md.Append('\n');
    }

    private static void WriteEvaluation(StringBuilder md, MetricsReport? metrics, string decoding)
    {
        md.Append("## Evaluation (test split)\n\n");
        if (metrics is null)
        {
            md.Append("Not evaluated.\n\n");
            return;
        }
        var overall = metrics.Overall;
        md.Append(CultureInfo.InvariantCulture, $"{overall.Count} test examples, {decoding}. Answers at other sampling settings (a client's default temperature 1, say) were not measured: serve with these settings for answers like the ones scored here.\n\n");
        if (overall.Deltas is { Count: > 0 } deltas)
        {
            md.Append("| metric | base | tuned | tuned − base (95% CI) |\n|---|---:|---:|---:|\n");
            foreach (var delta in deltas)
            {
                var interval = delta.CiLow is { } low && delta.CiHigh is { } high ? $" ({Round(low)} … {Round(high)})" : "";
                md.Append(CultureInfo.InvariantCulture, $"| {delta.Metric} | {Round(delta.Base)} | {Round(delta.Tuned)} | {Round(delta.Delta)}{interval} |\n");
            }
        }
        else
        {
            var tuned = overall.Tuned;
            md.Append("| metric | tuned |\n|---|---:|\n");
            md.Append(CultureInfo.InvariantCulture, $"| rougeL | {Round(tuned.RougeL.F1)} |\n| bleu | {Round(tuned.Bleu)} |\n| chrf | {Round(tuned.Chrf)} |\n");
            if (tuned.Perplexity is { } perplexity) md.Append(CultureInfo.InvariantCulture, $"| perplexity | {Round(perplexity)} |\n");
        }
        if (metrics.Gates is { } gates) md.Append("\nQuality gates: ").Append(gates.Passed ? "all passed" : "FAILED").Append(".\n");
        md.Append("\nThe full report is in `evaluation/report.html`.\n\n");
    }

    private static void WriteQuantized(StringBuilder md, ReleaseFacts facts)
    {
        if (facts.Quantized.Count == 0) return;
        md.Append("## Merged and quantized formats\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Perplexity on the test split (response tokens, teacher-forced); ROUGE-L change against the unquantized merged model on {facts.QualityExamples?.ToString(CultureInfo.InvariantCulture) ?? "the"} test examples.\n\n");
        md.Append("| format | size | perplexity | ROUGE-L Δ |\n|---|---:|---:|---:|\n");
        foreach (var format in facts.Quantized)
            md.Append(CultureInfo.InvariantCulture, $"| {format.Format} | {Size(format.Bytes)} | {(format.Perplexity is { } p ? Round(p) : "—")} | {(format.RougeLDelta is { } d ? Round(d) : "—")} |\n");
        md.Append('\n');
    }

    private static string Round(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes >= 1 << 30
        ? (bytes / (double)(1 << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static string Yaml(string value) => value.Any(c => c is ':' or '#' or '"' or '\'') ? $"\"{value.Replace("\"", "\\\"")}\"" : value;
}
