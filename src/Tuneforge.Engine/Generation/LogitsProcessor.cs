using static TorchSharp.torch;

namespace Tuneforge.Engine.Generation;

/// <summary>Hugging Face's order of next-token processing: repetition penalty, temperature, top-k, top-p, then choose.</summary>
public static class LogitsProcessor
{
    /// <summary>Picks the next id per row of <paramref name="logits"/> (B, vocab), float32.</summary>
    /// <param name="seen">(B, L) ids already in each sequence, for the repetition penalty.</param>
    public static Tensor NextTokens(Tensor logits, Tensor seen, GenerationOptions options, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var scores = logits.to_type(ScalarType.Float32);
        if (options.RepetitionPenalty != 1.0) scores = PenalizeRepetition(scores, seen, options.RepetitionPenalty);
        if (!options.DoSample) return scores.argmax(-1).MoveToOuterDisposeScope();

        scores = scores / options.Temperature;
        if (options.TopK > 0 && options.TopK < scores.shape[1]) scores = KeepTopK(scores, options.TopK);
        if (options.TopP < 1.0) scores = KeepTopP(scores, options.TopP);
        var probabilities = scores.softmax(-1);
        return multinomial(probabilities, 1, false, generator).squeeze(-1).MoveToOuterDisposeScope();
    }

    // Seen tokens: negative scores are multiplied by the penalty, positive ones divided (both lower their odds).
    private static Tensor PenalizeRepetition(Tensor scores, Tensor seen, double penalty)
    {
        var picked = scores.gather(1, seen);
        var penalized = where(picked.lt(0), picked * penalty, picked / penalty);
        return scores.scatter(1, seen, penalized);
    }

    private static Tensor KeepTopK(Tensor scores, int k)
    {
        var kth = scores.topk(k, -1).values.narrow(-1, k - 1, 1);   // (B, 1)
        return scores.masked_fill(scores.lt(kth), double.NegativeInfinity);
    }

    // Drops tokens outside the smallest most-likely set whose probability reaches p; the top token always stays.
    private static Tensor KeepTopP(Tensor scores, double p)
    {
        var (sorted, order) = scores.sort(-1, descending: true);
        var probabilities = sorted.softmax(-1);
        var before = probabilities.cumsum(-1) - probabilities;       // mass of strictly more likely tokens
        var dropSorted = before.ge(p);
        dropSorted.select(-1, 0).fill_(false);
        var drop = zeros_like(dropSorted).scatter(-1, order, dropSorted);
        return scores.masked_fill(drop, double.NegativeInfinity);
    }
}
