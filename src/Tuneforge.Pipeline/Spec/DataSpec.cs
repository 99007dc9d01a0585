using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public enum DataFormat { Auto, Json, Jsonl }

public enum InvalidRecordPolicy { Reject, Fail }

public sealed record DataSpec
{
    [Description("Data files: paths or globs relative to the repository root (JSON arrays or JSONL).")]
    [MinLength(1)]
    public List<string> Sources { get; init; } = [];

    [Description("File format; auto decides by extension (.json = array, .jsonl = one record per line).")]
    public DataFormat Format { get; init; } = DataFormat.Auto;

    [Description("Column mapping from canonical names (instruction, input, context, output, response, system, category, id, messages) to the names in your files.")]
    public Dictionary<string, string> Columns { get; init; } = [];

    [Description("What to do with a record that parses but cannot be used: reject (to rejects.jsonl with a reason) or fail the stage.")]
    public InvalidRecordPolicy OnInvalidRecord { get; init; } = InvalidRecordPolicy.Reject;

    [Description("Category given to records that have none.")]
    public string DefaultCategory { get; init; } = "general";
}
