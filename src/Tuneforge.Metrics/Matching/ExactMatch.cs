using System.Text;
using Tuneforge.Metrics.Text;

namespace Tuneforge.Metrics.Matching;

/// <summary>
/// Exact match after light normalization: Unicode NFKC (full-width ＡＢＣ１２３ become ABC123), white space trimmed
/// and runs of it collapsed to one space. Case and punctuation count: "Paris." is not "paris".
/// </summary>
public static class ExactMatch
{
    /// <summary>1 when the normalized texts are equal, else 0.</summary>
    public static double Score(string reference, string prediction) =>
        string.Equals(Normalize(reference), Normalize(prediction), StringComparison.Ordinal) ? 1.0 : 0.0;

    /// <summary>The form compared: NFKC, trimmed, inner white space collapsed.</summary>
    public static string Normalize(string text) =>
        string.Join(' ', PythonText.SplitOnWhitespace(text.Normalize(NormalizationForm.FormKC)));
}
