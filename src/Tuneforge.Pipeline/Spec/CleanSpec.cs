using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public enum ConflictPolicy { Report, KeepFirst, Drop }

public enum PiiKind { Email, Phone, CnId, BankCard, Ip }

public sealed record CleanSpec
{
    [Description("Unicode NFC and whitespace/control-character normalization (NFC, not NFKC: full-width Chinese punctuation is kept).")]
    public bool Normalize { get; init; } = true;

    [Description("Remove exact duplicates (after normalization); the first occurrence is kept.")]
    public bool DedupeExact { get; init; } = true;

    [Description("Near-duplicate detection with MinHash + LSH over character n-grams.")]
    public NearDedupeSpec NearDedupe { get; init; } = new();

    [Description("Same prompt with different answers: report (keep all, list them), keep_first, or drop all of them.")]
    public ConflictPolicy OnConflict { get; init; } = ConflictPolicy.Report;

    [Description("Minimum length of a record (prompt + response) in characters.")]
    [Range(0, int.MaxValue)]
    public int MinChars { get; init; } = 2;

    [Description("Maximum length of a record (prompt + response) in characters.")]
    [Range(1, int.MaxValue)]
    public int MaxChars { get; init; } = 20000;

    [Description("Minimum length in tokens (needs a tokenizer: clean.tokenizer or the model's).")]
    [Range(0, int.MaxValue)]
    public int? MinTokens { get; init; }

    [Description("Maximum length in tokens (needs a tokenizer: clean.tokenizer or the model's).")]
    [Range(1, int.MaxValue)]
    public int? MaxTokens { get; init; }

    [Description("Tokenizer folder (tokenizer.json) used for token-length filters; defaults to the model's when token filters are set.")]
    public string? Tokenizer { get; init; }

    [Description("PII redaction with typed placeholders such as [EMAIL] and [PHONE]; off unless enabled.")]
    public PiiSpec RedactPii { get; init; } = new();

    [Description("Fewest records Clean must keep; with fewer the build fails, saying what was rejected and why.")]
    [Range(1, int.MaxValue)]
    public int MinRecords { get; init; } = 1;
}

public sealed record NearDedupeSpec
{
    [Description("Detect near duplicates.")]
    public bool Enabled { get; init; } = true;

    [Description("Estimated Jaccard similarity at or above which two records are near duplicates.")]
    [Range(0.5, 1.0)]
    public double Threshold { get; init; } = 0.85;

    [Description("Character n-gram size of the shingles (works for Chinese, which has no spaces).")]
    [Range(1, 16)]
    public int Ngram { get; init; } = 5;

    [Description("Number of MinHash permutations.")]
    [Range(16, 1024)]
    public int NumPerm { get; init; } = 128;
}

public sealed record PiiSpec
{
    [Description("Redact PII before anything else sees the text.")]
    public bool Enabled { get; init; }

    [Description("Which kinds to redact.")]
    public List<PiiKind> Kinds { get; init; } = [PiiKind.Email, PiiKind.Phone, PiiKind.CnId, PiiKind.BankCard, PiiKind.Ip];
}
