using System.Globalization;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Loading;

/// <summary>data.mix's weights are interleave probabilities: with data.weight they sum to 1; without it the mix weights
/// sum to less than 1 and data.sources' train records take the rest.</summary>
internal static class MixRules
{
    const double Tolerance = 1e-6;

    public static void Check(DataSpec data, Action<string, string> fail)
    {
        var mix = data.Mix;
        if (mix.Count == 0)
        {
            if (data.Weight is not null) fail("data.weight", "applies only with data.mix (it is the share of data.sources among the mixed sources); remove it or add data.mix.");
            return;
        }
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < mix.Count; i++)
            if (mix[i].Name is { Length: > 0 } name && !names.TryAdd(name, i))
                fail($"data.mix[{i}].name", $"'{name}' names data.mix[{names[name]}] already; give each source its own name.");

        if (data.MixStrategy == MixStrategy.Concat)
        {
            for (var i = 0; i < mix.Count; i++)
                if (mix[i].Weight is not null) fail($"data.mix[{i}].weight", "is not used with mix_strategy: concat (every record of every source is taken); remove it, or choose interleave_under or interleave_over.");
            if (data.Weight is not null) fail("data.weight", "is not used with mix_strategy: concat; remove it, or choose interleave_under or interleave_over.");
            return;
        }
        var missing = Enumerable.Range(0, mix.Count).Where(i => mix[i].Weight is null).ToList();
        foreach (var i in missing)
            fail($"data.mix[{i}].weight", $"is required with mix_strategy: {Name(data.MixStrategy)}: the probability that the next train record comes from this source, e.g. weight: 0.2.");
        if (missing.Count > 0) return;

        var sum = mix.Sum(m => m.Weight!.Value);
        var terms = string.Join(" + ", mix.Select((m, i) => $"data.mix[{i}].weight {Number(m.Weight!.Value)}"));
        if (data.Weight is { } own)
        {
            if (Math.Abs(own + sum - 1) > Tolerance)
                fail("data.mix", $"the interleave probabilities must sum to 1, but data.weight {Number(own)} + {terms} = {Number(own + sum)}. " +
                                 "Change them, or remove data.weight to give data.sources the rest (1 minus the mix weights).");
        }
        else if (sum >= 1 - Tolerance)
        {
            fail("data.mix", $"the mix weights sum to {Number(sum)} ({terms}), leaving nothing for data.sources: they are probabilities and must sum to less than 1 " +
                             "(data.sources' train records take the rest).");
        }
    }

    static string Name(MixStrategy strategy) => Model.SpecModel.EnumName(strategy);

    static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
