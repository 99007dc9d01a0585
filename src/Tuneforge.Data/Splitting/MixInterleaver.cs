using Tuneforge.Metrics.Statistics;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Splitting;

/// <summary>One source of the train part (data.sources' train records, or a data.mix entry's): its lines of
/// clean.jsonl, a line once per copy.</summary>
internal sealed record MixSource(string Name, double? Probability, IReadOnlyList<int> Lines);

/// <summary>What the mix took from one source: records available, train lines taken (copies included), and records
/// left out because they share a prompt with a val or test record.</summary>
public sealed record MixSourceStats(string Name, double? Probability, int Available, int Taken, int HeldOut);

/// <summary>data.mix as Hugging Face datasets' interleave_datasets (what LLaMA-Factory's interleave_under/over call):
/// each source in a seeded order; each next train record comes from source i with probability p_i; interleave_under
/// stops when a source is drawn past its last record (first_exhausted), interleave_over when every source has been
/// (all_exhausted), a source starting over once it ran out. concat takes every record of every source in turn.</summary>
internal static class MixInterleaver
{
    public static List<int> Interleave(IReadOnlyList<MixSource> sources, MixStrategy strategy, int seed, IReadOnlyList<SplitLine> lines)
    {
        if (strategy == MixStrategy.Concat) return [.. sources.SelectMany(s => s.Lines)];
        for (var i = 0; i < sources.Count; i++)
            if (sources[i].Lines.Count == 0)
                throw new DataException($"split: the source '{sources[i].Name}' has no train record left after Clean, so it cannot be interleaved; check rejects.jsonl, or remove it from data.mix.");
        var ordered = sources.Select(s => SeededOrder(s.Lines, seed, lines)).ToList();

        var cumulative = new double[sources.Count];
        var sum = 0.0;
        for (var i = 0; i < sources.Count; i++) cumulative[i] = sum += sources[i].Probability!.Value;
        var random = new DeterministicRandom((ulong)(uint)seed);
        var next = new int[sources.Count];
        var exhausted = new bool[sources.Count];
        var stream = new List<int>();
        var oversample = strategy == MixStrategy.InterleaveOver;
        while (oversample ? !exhausted.All(e => e) : !exhausted.Any(e => e))
        {
            var source = Draw(cumulative, random.NextDouble() * sum);
            stream.Add(ordered[source][next[source]]);
            if (++next[source] >= ordered[source].Count)
            {
                exhausted[source] = true;
                next[source] = 0;
            }
        }
        return stream;
    }

    // A seeded hash of id and copy number, not a shuffle: a record keeps its place when others come and go.
    static List<int> SeededOrder(IReadOnlyList<int> source, int seed, IReadOnlyList<SplitLine> lines)
    {
        var copies = new Dictionary<int, int>();
        return [.. source.Select(line => (Line: line, Key: TrainBalancer.Order(seed, $"{lines[line].Id}#{copies[line] = copies.GetValueOrDefault(line) + 1}")))
            .OrderBy(x => x.Key).ThenBy(x => x.Line).Select(x => x.Line)];
    }

    static int Draw(double[] cumulative, double point)
    {
        for (var i = 0; i < cumulative.Length - 1; i++)
            if (point < cumulative[i]) return i;
        return cumulative.Length - 1;
    }
}
