using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Optimization;

/// <summary>
/// Rows of the token embedding (and of an untied LM head) that keep their initial values through training: those of
/// tokens the training text never holds. With a tied head every row gets a softmax gradient, however small, and Adam
/// turns small gradients into learning-rate-sized steps, all in one direction: after one pass over the Debian corpus
/// the 94,871 tokens it lacks were one vector (cosine 0.999), so a fine-tune could not tell 发票 from 物流 apart.
/// </summary>
public sealed class FrozenRows : IDisposable
{
    private static readonly string[] TokenMatrices = ["model.embed_tokens.weight", "lm_head.weight"];
    private readonly Tensor _rows;
    private readonly IReadOnlyList<(TrainableParameter Parameter, Tensor Initial)> _held;

    private FrozenRows(Tensor rows, IReadOnlyList<(TrainableParameter, Tensor)> held)
    {
        _rows = rows;
        _held = held;
    }

    /// <summary>The rows frozen in each token matrix.</summary>
    public long Count => _rows.shape[0];

    /// <summary>Freezes the rows of every token id below the vocabulary size that no sequence contains; null when all occur.</summary>
    public static FrozenRows? ForUnseenTokens(IReadOnlyList<TrainableParameter> parameters, IEnumerable<int[]> sequences, int vocabSize)
    {
        var seen = new bool[vocabSize];
        foreach (var sequence in sequences)
            foreach (var id in sequence) seen[id] = true;
        var unseen = Enumerable.Range(0, vocabSize).Where(id => !seen[id]).Select(id => (long)id).ToArray();
        if (unseen.Length == 0) return null;
        var rows = tensor(unseen, device: parameters[0].Value.device);
        using var _ = no_grad();
        var held = parameters.Where(p => TokenMatrices.Contains(p.Name))
            .Select(p => (p, p.Value.index_select(0, rows).clone()))
            .ToList();
        return new FrozenRows(rows, held);
    }

    /// <summary>Zeroes their gradient before clipping, so frozen rows take no share of the gradient-norm budget.</summary>
    public void ZeroGrads()
    {
        using var _ = no_grad();
        foreach (var (parameter, _) in _held) parameter.Grad?.index_fill_(0, _rows, 0);
    }

    /// <summary>Puts their initial values back after an update (AdamW's weight decay moves them even without a gradient).</summary>
    public void Restore()
    {
        using var _ = no_grad();
        foreach (var (parameter, initial) in _held) parameter.Value.index_copy_(0, _rows, initial);
    }

    public void Dispose()
    {
        _rows.Dispose();
        foreach (var (_, initial) in _held) initial.Dispose();
    }
}
