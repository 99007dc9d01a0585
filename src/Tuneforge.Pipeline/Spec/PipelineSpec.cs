using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

/// <summary>A whole pipeline file: one section per stage, keys named as in Hugging Face where a name exists.</summary>
public sealed record PipelineSpec
{
    [Description("Pipeline name; used for artifacts/<name>/ and the release archive name."), Required]
    [RegularExpression("^[a-z0-9][a-z0-9._-]*$")]
    public string Name { get; init; } = "";

    [Description("Release version of what this pipeline produces (semantic version).")]
    [RegularExpression(@"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")]
    public string Version { get; init; } = "0.1.0";

    [Description("What this pipeline trains, in one sentence (shown in the model card).")]
    public string? Description { get; init; }

    [Description("Where the question/answer data comes from and how to read it.")]
    public DataSpec Data { get; init; } = new();

    [Description("Data cleaning: normalization, deduplication, length filters, PII redaction.")]
    public CleanSpec Clean { get; init; } = new();

    [Description("Deterministic train/validation/test split.")]
    public SplitSpec Split { get; init; } = new();

    [Description("The base model and how to load it.")]
    public ModelSpec Model { get; init; } = new();

    [Description("The teacher model that Reason and Augment ask (any OpenAI-compatible chat endpoint).")]
    public TeacherSpec Teacher { get; init; } = new();

    [Description("Reason (off by default): reasoning traces for the train split by the teacher, by rejection sampling against the reference answers.")]
    public ReasonSpec Reason { get; init; } = new();

    [Description("Augment (off by default): paraphrases of the train questions by the teacher, near-deduplicated, none close to a val/test question.")]
    public AugmentSpec Augment { get; init; } = new();

    [Description("Fine-tuning (LoRA, QLoRA or full), with Hugging Face TrainingArguments names.")]
    public TrainSpec Train { get; init; } = new();

    [Description("Preference training (DPO, ORPO, KTO, SimPO with TRL's names) on pairs or labelled answers, from Train's adapter or the base; off while method is none.")]
    public PreferenceSpec Preference { get; init; } = new();

    [Description("Judge (off by default): an LLM compares tuned and base answers on the test split, in both orders; Evaluate reports the win rate.")]
    public JudgeSpec Judge { get; init; } = new();

    [Description("Generation on the test split, metrics, base-vs-tuned comparison and quality gates.")]
    public EvaluateSpec Evaluate { get; init; } = new();

    [Description("Merging, weight quantization and GGUF export.")]
    public QuantizeSpec Quantize { get; init; } = new();

    [Description("The release archive: adapter, model card, report, manifest.")]
    public PackageSpec Package { get; init; } = new();

    [Description("The HTTP API over the tuned model.")]
    public ServeSpec Serve { get; init; } = new();

    [Description("ExportReview: the sheet of test answers that experts rate and correct (imported back with data.reviews).")]
    public ReviewSpec Review { get; init; } = new();

    [Description("Inspect: the first training examples token by token, trained tokens marked, and the token-length distribution.")]
    public InspectSpec Inspect { get; init; } = new();
}
