using Tuneforge.Serve.Generation;
using static TorchSharp.torch;

namespace Tuneforge.Serve.Torch;

/// <summary>
/// Chooses the next token of every row of a batch at once, each row with its own settings, in Hugging Face's order:
/// repetition penalty, temperature, top-k, top-p. Sampling inverts each row's cumulative distribution at a uniform
/// number from the row's own seeded generator, so a request's text depends on its seed, not on its batch neighbours.
/// </summary>
internal sealed class BatchSampler
{
    private readonly SamplingSettings[] _settings;
    private readonly Random[] _random;
    private readonly int[] _greedyRows;
    private readonly int[] _sampledRows;
    private readonly bool _penalize;

    public BatchSampler(IReadOnlyList<SamplingSettings> settings)
    {
        _settings = [.. settings];
        _random = _settings.Select(s => new Random(unchecked((int)(s.Seed ^ (s.Seed >> 32))))).ToArray();
        _greedyRows = Enumerable.Range(0, _settings.Length).Where(r => _settings[r].IsGreedy).ToArray();
        _sampledRows = Enumerable.Range(0, _settings.Length).Where(r => !_settings[r].IsGreedy).ToArray();
        _penalize = _settings.Any(s => s.RepetitionPenalty != 1.0);
    }

    /// <summary>Next ids for the rows of <paramref name="logits"/> (B, vocab); <paramref name="sequences"/> are each row's ids so far.</summary>
    public long[] Next(Tensor logits, IReadOnlyList<List<int>> sequences)
    {
        using var scope = NewDisposeScope();
        var device = logits.device;
        var scores = logits.to_type(ScalarType.Float32);
        if (_penalize) scores = Penalize(scores, sequences, device);
        var next = new long[_settings.Length];
        if (_greedyRows.Length > 0)
        {
            var best = scores.argmax(-1).cpu().data<long>().ToArray();
            foreach (var row in _greedyRows) next[row] = best[row];
        }
        if (_sampledRows.Length > 0)
        {
            var chosen = Sample(scores, device);
            for (var i = 0; i < _sampledRows.Length; i++) next[_sampledRows[i]] = chosen[i];
        }
        return next;
    }

    // Seen tokens: negative scores are multiplied by the row's penalty, positive ones divided.
    private Tensor Penalize(Tensor scores, IReadOnlyList<List<int>> sequences, Device device)
    {
        var longest = sequences.Max(s => s.Count);
        var seen = new long[sequences.Count * longest];
        for (var r = 0; r < sequences.Count; r++)
        {
            var row = sequences[r];
            for (var i = 0; i < longest; i++) seen[r * longest + i] = i < row.Count ? row[i] : row[0];   // padding repeats a seen id
        }
        var index = tensor(seen, device: device).view(sequences.Count, longest);
        var penalty = tensor(_settings.Select(s => (float)s.RepetitionPenalty).ToArray(), device: device).view(-1, 1);
        var picked = scores.gather(1, index);
        var penalized = where(picked.lt(0), picked * penalty, picked / penalty);
        return scores.scatter(1, index, penalized);
    }

    private long[] Sample(Tensor scores, Device device)
    {
        var rows = _sampledRows.Select(r => _settings[r]).ToArray();
        var vocab = scores.shape[1];
        var selected = scores.index_select(0, tensor(_sampledRows.Select(r => (long)r).ToArray(), device: device));
        var temperature = tensor(rows.Select(s => (float)s.Temperature).ToArray(), device: device).view(-1, 1);
        selected = selected / temperature;

        Tensor probabilities;
        Tensor? order = null;
        var topK = rows.Any(s => s.TopK > 0 && s.TopK < vocab);
        var topP = rows.Any(s => s.TopP < 1.0);
        if (topK || topP)
        {
            var (sorted, sortedOrder) = MostLikely(selected, rows, vocab);
            order = sortedOrder;
            probabilities = (sorted - selected.logsumexp(-1, keepdim: true)).exp();                 // of the whole vocabulary
            var drop = zeros_like(probabilities, ScalarType.Bool);
            var kept = probabilities.shape[1];
            if (topK)
            {
                var k = tensor(rows.Select(s => s.TopK > 0 ? (long)s.TopK : kept).ToArray(), device: device).view(-1, 1);
                drop = drop.logical_or(arange(kept, device: device).view(1, -1).ge(k));
            }
            if (topP)
            {
                // Keep the smallest most-likely set reaching p: drop a token once the mass before it reaches p.
                var p = tensor(rows.Select(s => s.TopP < 1.0 ? s.TopP : 2.0).ToArray(), device: device).view(-1, 1);
                var before = probabilities.cumsum(-1) - probabilities;
                drop = drop.logical_or(before.ge(p));
            }
            drop.select(-1, 0).fill_(false);
            probabilities = probabilities.masked_fill(drop, 0);
        }
        else
        {
            probabilities = selected.softmax(-1);
        }

        var width = probabilities.shape[1];
        var cumulative = probabilities.to_type(ScalarType.Float64).cumsum(-1);                      // (n, width)
        var total = cumulative.narrow(1, width - 1, 1);
        var uniform = tensor(_sampledRows.Select(r => _random[r].NextDouble()).ToArray(), device: device).view(-1, 1);
        var position = cumulative.le(uniform * total).sum(-1, keepdim: true).clamp_max(width - 1);  // first index past u
        var chosen = order is null ? position : order.gather(1, position);
        return chosen.view(-1).cpu().data<long>().ToArray();
    }

    // The scores in descending order, as far as any row's top-k and top-p can reach: the 256 most likely when they
    // hold every row's nucleus (almost always with a trained model), else the whole sorted vocabulary. Exact either way.
    private static (Tensor Scores, Tensor Order) MostLikely(Tensor selected, SamplingSettings[] rows, long vocab)
    {
        const int Shortlist = 256;
        if (vocab > Shortlist && rows.All(s => s.TopK is > 0 and <= Shortlist || s.TopP < 1.0))
        {
            var (values, order) = selected.topk(Shortlist, -1);
            var mass = (values.logsumexp(-1) - selected.logsumexp(-1)).exp().cpu().data<float>().ToArray();
            var enough = rows.Select((s, i) => s.TopK is > 0 and <= Shortlist || mass[i] >= s.TopP + 1e-4).All(x => x);   // a margin for float rounding
            if (enough) return (values, order);
        }
        var (sorted, sortedOrder) = selected.sort(-1, descending: true);
        return (sorted, sortedOrder);
    }
}
