namespace Tuneforge.Data;

/// <summary>Versions of the code that computes each stage's result; part of the cache keys.
/// Bump one when the same input and settings would give different output.</summary>
public static class DataVersion
{
    public const string Clean = "tuneforge-clean/3";
    public const string Split = "tuneforge-split/2";
    public const string Inspect = "tuneforge-inspect/1";
    public const string Review = "tuneforge-review/1";
}
