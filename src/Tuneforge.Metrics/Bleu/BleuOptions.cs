namespace Tuneforge.Metrics.Bleu;

/// <summary>sacreBLEU's smoothing methods (Chen and Cherry, 2014).</summary>
public enum BleuSmoothing
{
    /// <summary>No smoothing.</summary>
    None,
    /// <summary>Method 1: a zero precision becomes <c>SmoothValue / total</c> (default 0.1).</summary>
    Floor,
    /// <summary>Method 2: add <c>SmoothValue</c> (default 1) to matches and totals of orders above 1.</summary>
    AddK,
    /// <summary>Method 3, mteval-v13a's and sacreBLEU's default: the k-th zero precision becomes <c>1 / (2^k · total)</c>.</summary>
    Exp,
}

/// <summary>BLEU settings, defaulting to sacreBLEU's: 13a tokenizer, exp smoothing, 4-grams, effective order off, mixed case.</summary>
public sealed record BleuOptions
{
    public BleuTokenizerKind Tokenizer { get; init; } = BleuTokenizerKind.Thirteen13a;
    public BleuSmoothing Smoothing { get; init; } = BleuSmoothing.Exp;
    /// <summary>For Floor and AddK; null takes sacreBLEU's default (0.1 and 1).</summary>
    public double? SmoothValue { get; init; }
    public int MaxNGramOrder { get; init; } = 4;
    /// <summary>Stop at the highest n-gram order the hypothesis has; sacreBLEU recommends it for sentence BLEU.</summary>
    public bool EffectiveOrder { get; init; }
    public bool Lowercase { get; init; }

    /// <summary>sacreBLEU's reproducibility signature, e.g. <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp</c>.</summary>
    public string Signature(int referenceCount)
    {
        var smooth = Smoothing switch
        {
            BleuSmoothing.None => "none",
            BleuSmoothing.Exp => "exp",
            BleuSmoothing.Floor => $"floor[{(SmoothValue ?? 0.1).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)}]",
            BleuSmoothing.AddK => $"add-k[{(SmoothValue ?? 1).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)}]",
            _ => throw new InvalidOperationException(),
        };
        var nrefs = referenceCount < 0 ? "var" : referenceCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"nrefs:{nrefs}|case:{(Lowercase ? "lc" : "mixed")}|eff:{(EffectiveOrder ? "yes" : "no")}|tok:{BleuTokenizer.Name(Tokenizer)}|smooth:{smooth}";
    }
}
