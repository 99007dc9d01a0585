using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public enum DataFormat { Auto, Json, Jsonl, Csv, Tsv, Parquet }

public enum InvalidRecordPolicy { Reject, Fail }

/// <summary>How data.mix sources join the train part (LLaMA-Factory's mix_strategy names).</summary>
public enum MixStrategy { InterleaveUnder, InterleaveOver, Concat }

public sealed record DataSpec
{
    [Description("Data files: paths or globs relative to the repository root (JSON arrays, JSONL, CSV, TSV or Parquet).")]
    [MinLength(1)]
    public List<string> Sources { get; init; } = [];

    [Description("File format; auto decides by extension (.json = array, .jsonl = one record per line, .csv, .tsv, .parquet).")]
    public DataFormat Format { get; init; } = DataFormat.Auto;

    [Description("Column mapping from canonical names (instruction, input, context, output, response, system, category, id, messages, conversations, prompt, completion) to the names in your files.")]
    public Dictionary<string, string> Columns { get; init; } = [];

    [Description("What to do with a record that parses but cannot be used: reject (to rejects.jsonl with a reason) or fail the stage.")]
    public InvalidRecordPolicy OnInvalidRecord { get; init; } = InvalidRecordPolicy.Reject;

    [Description("Category given to records that have none.")]
    public string DefaultCategory { get; init; } = "general";

    [Description("Further sources mixed into the train part only (never val/test), e.g. a general instruction set against catastrophic forgetting.")]
    public List<MixSourceSpec> Mix { get; init; } = [];

    [Description("How data.mix joins the train part: interleave_under (stop when a source runs out), interleave_over (until every source ran out once, repeating the smaller) or concat (all of every source, weights unused).")]
    public MixStrategy MixStrategy { get; init; } = MixStrategy.InterleaveUnder;

    [Description("Interleave probability of data.sources' own train records; null = 1 minus the data.mix weights. Given, it and the mix weights must sum to 1.")]
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double? Weight { get; init; }

    [Description("Filled-in review sheets (CSV or .xlsx written by ExportReview): corrected answers become train records; ratings are summarized.")]
    public List<string> Reviews { get; init; } = [];

    [Description("Serve's feedback store as a source: rated answers and corrections become records (pairs and KTO labels with data.feedback.preferences).")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]   // unset leaves Clean's key as it was
    public FeedbackSourceSpec? Feedback { get; init; }
}

/// <summary>One data.mix entry: a file or glob whose records join the train part with an interleave probability.</summary>
public sealed record MixSourceSpec
{
    [Description("A file or glob, relative to the repository root (any format data.sources reads)."), Required]
    public string Path { get; init; } = "";

    [Description("The records' source name in the split files, split.json and reports; default: the file path.")]
    public string? Name { get; init; }

    [Description("Probability that the next train record is drawn from this source (as LLaMA-Factory's interleave_probs); unused with mix_strategy: concat.")]
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double? Weight { get; init; }

    [Description("File format; auto decides by extension.")]
    public DataFormat Format { get; init; } = DataFormat.Auto;

    [Description("Column mapping of this source (as data.columns); default: data.columns.")]
    public Dictionary<string, string>? Columns { get; init; }

    [Description("Category of this source's records that have none; default: data.default_category.")]
    public string? DefaultCategory { get; init; }
}
