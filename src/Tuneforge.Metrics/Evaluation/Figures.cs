using System.Globalization;

namespace Tuneforge.Metrics.Evaluation;

/// <summary>How the results' Describe() sentences write a number: two decimals, invariant, n/a when unmeasured.</summary>
internal static class Figures
{
    public static string Fixed(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a";
}
