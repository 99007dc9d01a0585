using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

/// <summary>How a corpus file is read into documents.</summary>
public enum CorpusFormat
{
    /// <summary>Wrapped plain text (Debian's .txt manuals): a document per numbered section, wrapped lines joined.</summary>
    Text,
    /// <summary>fortune(6) files: entries separated by lines holding only '%'.</summary>
    Fortune,
    /// <summary>roff man pages: a document per page.</summary>
    Man,
    /// <summary>HTML pages: a document per page, markup removed.</summary>
    Html,
    /// <summary>JSON lines with a "text" field: a document per line.</summary>
    Jsonl,
}

/// <summary>Causal-LM pretraining on plain text (<c>tuneforge-engine pretrain</c>): the corpus, how it is packed and
/// held out, and the training settings (the trainer's own, with method full).</summary>
public sealed record PretrainSpec
{
    [Description("Text sources: files or globs (absolute, or relative to the repository root), each with its format.")]
    [MinLength(1)]
    public List<CorpusSourceSpec> Sources { get; init; } = [];

    [Description("Tokens per packed sequence, including the BOS token that starts each one.")]
    [Range(8, 1 << 16)]
    public int SeqLength { get; init; } = 512;

    [Description("Share of documents held out (chosen by a hash of their text, so independent of order): never trained on, used for the held-out loss.")]
    [Range(0.0, 0.5, MaximumIsExclusive = true)]
    public double HeldoutShare { get; init; } = 0.01;

    [Description("Documents shorter than this many characters (after cleaning) are left out and counted.")]
    [Range(1, 1 << 20)]
    public int MinChars { get; init; } = 32;

    [Description("Tokens to train on; when > 0 it sets train.max_steps to ceil(max_tokens / (batch x accumulation x seq_length)).")]
    [Range(0L, long.MaxValue)]
    public long MaxTokens { get; init; }

    [Description("At most this many held-out sequences are scored at each evaluation (the first ones, in a fixed order); 0 = all.")]
    [Range(0, int.MaxValue)]
    public int MaxEvalSequences { get; init; }

    [Description("The dtype model/ is saved in: auto (the compute dtype), float32, bfloat16 or float16. bfloat16 halves the file of a float32 run.")]
    public TorchDtype SaveTorchDtype { get; init; } = TorchDtype.Auto;

    [Description("Optimizer, schedule, batch, precision, logging and checkpoints, as in the train section; method must be full.")]
    public TrainSpec Train { get; init; } = new() { Method = TrainMethod.Full, GroupByLength = false };
}

/// <summary>One corpus source of the pretrain section.</summary>
public sealed record CorpusSourceSpec
{
    [Description("A file or a glob (e.g. /usr/share/man/zh_CN/man1/*.gz); .gz files are decompressed.")]
    [Required]
    public string Path { get; init; } = "";

    [Description("How the files are read: text, fortune, man, html or jsonl.")]
    public CorpusFormat Format { get; init; } = CorpusFormat.Text;

    [Description("The name documents carry for provenance (e.g. the Debian package); default: the path.")]
    public string? Name { get; init; }

    [Description("Language tag of the documents (zh, en, ...), kept with the held-out set.")]
    public string Language { get; init; } = "und";
}
