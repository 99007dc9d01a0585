using TorchSharp;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>
/// Loads a checkpoint into a module strictly: the names must match both ways and every shape must be equal, all
/// checked before a byte is copied. Tensors are converted to each parameter's dtype and device as they are copied.
/// </summary>
public static class CheckpointLoader
{
    private const int ListedNames = 20;

    /// <summary>Copies the tensors of <paramref name="checkpoint"/> into <paramref name="module"/>'s parameters.</summary>
    /// <param name="ignored">Names the file may carry that the module does not need (e.g. a tied <c>lm_head.weight</c>).</param>
    public static void Load(nn.Module module, CheckpointFolder checkpoint, Func<string, bool>? ignored = null)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        if (parameters.Values.Any(p => p.is_meta))
            throw new InvalidOperationException("the model was built on the meta device and cannot hold weights");

        Check(parameters.ToDictionary(p => p.Key, p => p.Value.shape, StringComparer.Ordinal), checkpoint, ignored);

        using var _ = no_grad();
        foreach (var (shard, header) in checkpoint.Shards)
        {
            using var reader = new SafeTensorsReader(header);
            foreach (var name in header.Entries.Keys.Where(parameters.ContainsKey).Order(StringComparer.Ordinal))
            {
                reader.ReadInto(name, parameters[name]);
            }
        }
    }

    /// <summary>Throws unless <paramref name="checkpoint"/> holds exactly the tensors of <paramref name="shapes"/> (besides the ignored ones), shape for shape.</summary>
    public static void Check(IReadOnlyDictionary<string, long[]> shapes, CheckpointFolder checkpoint, Func<string, bool>? ignored = null)
    {
        var available = checkpoint.TensorToShard.Keys.Where(k => ignored?.Invoke(k) != true).ToHashSet(StringComparer.Ordinal);
        var missing = shapes.Keys.Where(k => !available.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = available.Where(k => !shapes.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var mismatched = shapes
            .Where(p => available.Contains(p.Key))
            .Select(p => (Name: p.Key, Expected: p.Value, Found: checkpoint.Entry(p.Key).Shape))
            .Where(m => !m.Expected.SequenceEqual(m.Found))
            .Select(m => $"{m.Name}: expected shape {Format(m.Expected)}, found {Format(m.Found)} in {checkpoint.TensorToShard[m.Name]}")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
            throw new CheckpointException(Describe(checkpoint.Directory, missing, unexpected, mismatched),
                "The checkpoint does not match config.json: check that the folder's config.json belongs to these weights.");

    }

    private static string Describe(string directory, List<string> missing, List<string> unexpected, List<string> mismatched)
    {
        var lines = new List<string> { $"{directory}: the checkpoint does not fit the model" };
        void Add(string title, List<string> names)
        {
            if (names.Count == 0) return;
            lines.Add($"{title} ({names.Count}):");
            lines.AddRange(names.Take(ListedNames).Select(n => "  " + n));
            if (names.Count > ListedNames) lines.Add($"  ... and {names.Count - ListedNames} more");
        }
        Add("missing keys", missing);
        Add("unexpected keys", unexpected);
        Add("shape mismatches", mismatched);
        return string.Join(Environment.NewLine, lines);
    }

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";
}
