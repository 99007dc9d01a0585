namespace Tuneforge.Metrics.Chrf;

/// <summary>chrF settings, defaulting to sacreBLEU's chrF2: character 6-grams, no word n-grams, beta 2,
/// mixed case, white space removed, effective-order averaging (not epsilon smoothing).</summary>
public sealed record ChrfOptions
{
    public int CharOrder { get; init; } = 6;
    /// <summary>2 gives chrF++.</summary>
    public int WordOrder { get; init; }
    public int Beta { get; init; } = 2;
    public bool Lowercase { get; init; }
    /// <summary>Keep white space inside character n-grams.</summary>
    public bool Whitespace { get; init; }
    /// <summary>chrF++.py / NLTK / Moses style: average per-order F scores with epsilon for empty orders.</summary>
    public bool EpsSmoothing { get; init; }

    /// <summary>chrF++ as sacreBLEU defines it (word order 2).</summary>
    public static ChrfOptions ChrfPlusPlus { get; } = new() { WordOrder = 2 };

    /// <summary>The name sacreBLEU prints: chrF2, chrF2++.</summary>
    public string Name => $"chrF{Beta}" + new string('+', WordOrder);

    /// <summary>sacreBLEU's reproducibility signature, e.g. <c>nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no</c>.</summary>
    public string Signature(int referenceCount) =>
        $"nrefs:{referenceCount}|case:{(Lowercase ? "lc" : "mixed")}|eff:{(EpsSmoothing ? "no" : "yes")}|nc:{CharOrder}|nw:{WordOrder}|space:{(Whitespace ? "yes" : "no")}";
}
