using static TorchSharp.torch;

namespace Tuneforge.Engine.Generation;

/// <summary>
/// The one sampler of the engine (Predict, Quantize's quality check, <c>generate</c>, Serve).
/// Chooses the next token of every row of a batch at once, each row with its own settings, in Hugging Face's order:
/// repetition penalty, temperature, top-k, top-p. Sampling inverts each row's cumulative distribution at uniform
/// numbers from the row's own seeded generator, so a request's text depends on its seed, not on its batch neighbours.
/// The vocabulary is never sorted in the common cases: sorting 8 × 129,280 scores took 137 ms here, more than the model.
/// </summary>
public sealed class TokenSampler
{
    private readonly TokenSampling[] _settings;
    private readonly Random[] _random;
    private readonly int[] _greedyRows;
    private readonly int[] _sampledRows;
    private readonly bool _penalize;

    public TokenSampler(IReadOnlyList<TokenSampling> settings)
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
        var random = _sampledRows.Select(r => _random[r]).ToArray();
        var selected = scores.index_select(0, tensor(_sampledRows.Select(r => (long)r).ToArray(), device: device));
        var temperature = tensor(rows.Select(s => (float)s.Temperature).ToArray(), device: device).view(-1, 1);
        var probabilities = (selected / temperature).softmax(-1);                                   // (n, vocab)
        var shortlisted = Enumerable.Range(0, rows.Length).Where(i => rows[i].TopK is > 0 and <= Shortlist).ToArray();
        var others = Enumerable.Range(0, rows.Length).Where(i => !shortlisted.Contains(i)).ToArray();
        var chosen = new long[rows.Length];
        foreach (var (part, sample) in new (int[], Func<Tensor, TokenSampling[], Random[], Device, long[]>)[] { (shortlisted, FromShortlist), (others, ByRejection) })
        {
            if (part.Length == 0) continue;
            var partProbabilities = part.Length == rows.Length ? probabilities : probabilities.index_select(0, tensor(part.Select(i => (long)i).ToArray(), device: device));
            var tokens = sample(partProbabilities, part.Select(i => rows[i]).ToArray(), part.Select(i => random[i]).ToArray(), device);
            for (var i = 0; i < part.Length; i++) chosen[part[i]] = tokens[i];
        }
        return chosen;
    }

    private const int Shortlist = 256;
    private const int MaxRejections = 16;

    // Every row keeps at most its k most likely tokens (k ≤ 256): sample within the k most likely of the batch.
    private static long[] FromShortlist(Tensor probabilities, TokenSampling[] rows, Random[] random, Device device)
    {
        var (values, order) = probabilities.topk(rows.Max(s => s.TopK), -1);                        // (n, k), most likely first
        values = Nucleus(values, rows, device);
        var position = InverseCdf(values, random.Select(r => r.NextDouble()).ToArray(), device);
        return order.gather(1, position).view(-1).cpu().data<long>().ToArray();
    }

    // Drops, in probability order, tokens past a row's top-k and once the mass before them reaches its top-p (the top token stays).
    private static Tensor Nucleus(Tensor sorted, TokenSampling[] rows, Device device)
    {
        var width = sorted.shape[1];
        var k = tensor(rows.Select(s => s.TopK > 0 ? (long)s.TopK : width).ToArray(), device: device).view(-1, 1);
        var p = tensor(rows.Select(s => s.TopP < 1.0 ? (float)s.TopP : 2f).ToArray(), device: device).view(-1, 1);
        var drop = arange(width, device: device).view(1, -1).ge(k).logical_or((sorted.cumsum(-1) - sorted).ge(p));
        drop.select(-1, 0).fill_(false);
        return sorted.masked_fill(drop, 0);
    }

    /// <summary>
    /// Top-p (and large top-k) without sorting the vocabulary: draw from the whole distribution and accept the token if it
    /// is in the row's nucleus (the mass of more likely tokens is below p, fewer than k tokens are more likely). Accepted
    /// draws follow the nucleus distribution exactly, and one is accepted with probability of at least p, so a draw or two
    /// suffice. Rows still unlucky after 16 draws are sampled from the sorted vocabulary.
    /// </summary>
    private static long[] ByRejection(Tensor probabilities, TokenSampling[] rows, Random[] random, Device device)
    {
        var vocab = probabilities.shape[1];
        var cumulative = probabilities.cumsum(-1);
        var chosen = new long[rows.Length];
        var pending = Enumerable.Range(0, rows.Length).ToList();
        for (var attempt = 0; attempt < MaxRejections && pending.Count > 0; attempt++)
        {
            using var scope = NewDisposeScope();
            var index = tensor(pending.Select(r => (long)r).ToArray(), device: device);
            var rowProbabilities = probabilities.index_select(0, index);
            var rowCumulative = cumulative.index_select(0, index);
            var uniform = tensor(pending.Select(r => random[r].NextDouble()).ToArray(), device: device).view(-1, 1).to_type(ScalarType.Float32);
            var candidate = rowCumulative.le(uniform * rowCumulative.narrow(1, vocab - 1, 1)).sum(-1, keepdim: true).clamp_max(vocab - 1);
            var more = rowProbabilities.gt(rowProbabilities.gather(1, candidate));                    // tokens more likely than the draw
            var massBefore = rowProbabilities.masked_fill(more.logical_not(), 0).sum(-1).cpu().data<float>().ToArray();
            var rank = more.sum(-1).cpu().data<long>().ToArray();
            var tokens = candidate.view(-1).cpu().data<long>().ToArray();
            var still = new List<int>();
            for (var i = 0; i < pending.Count; i++)
            {
                var settings = rows[pending[i]];
                var inside = (settings.TopK <= 0 || rank[i] < settings.TopK) && (settings.TopP >= 1.0 || massBefore[i] < settings.TopP);
                if (inside) chosen[pending[i]] = tokens[i];
                else still.Add(pending[i]);
            }
            pending = still;
        }
        foreach (var row in pending)
        {
            using var scope = NewDisposeScope();
            var (sorted, order) = probabilities.narrow(0, row, 1).sort(-1, descending: true);
            var position = InverseCdf(Nucleus(sorted, [rows[row]], device), [random[row].NextDouble()], device);
            chosen[row] = order.gather(1, position).item<long>();
        }
        return chosen;
    }

    // The first position whose cumulative mass passes u times the row's total: sampling in proportion to the values.
    private static Tensor InverseCdf(Tensor values, double[] uniforms, Device device)
    {
        var cumulative = values.to_type(ScalarType.Float64).cumsum(-1);
        var width = values.shape[1];
        var u = tensor(uniforms, device: device).view(-1, 1);
        return cumulative.le(u * cumulative.narrow(1, width - 1, 1)).sum(-1, keepdim: true).clamp_max(width - 1);
    }
}
