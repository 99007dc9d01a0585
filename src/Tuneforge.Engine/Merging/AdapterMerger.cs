using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Merging;

/// <summary>Folds a LoRA adapter into a model's weights in place: W ← W + scaling · B·A, computed in float32; the
/// weights of its modules to save replace the base's.</summary>
public static class AdapterMerger
{
    /// <summary>Returns the number of weights changed. Every adapted module must exist in the model with matching sizes.</summary>
    public static int Merge(CausalLM model, LoraAdapterFiles adapter)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        Check(parameters.ToDictionary(p => p.Key, p => p.Value.shape, StringComparer.Ordinal), adapter);
        using var _ = no_grad();
        foreach (var pair in adapter.Pairs)
        {
            using var scope = NewDisposeScope();
            var weight = parameters[pair.WeightName];
            weight.copy_(Merged(weight, pair, adapter.Scaling, weight.dtype));
        }
        foreach (var saved in adapter.Saved) parameters[saved.WeightName].copy_(saved.Weight);
        return adapter.Pairs.Count + adapter.Saved.Count;
    }

    /// <summary>Throws unless every adapted module is a weight of <paramref name="shapes"/> with B·A's size, and every saved weight one of its own size.</summary>
    public static void Check(IReadOnlyDictionary<string, long[]> shapes, LoraAdapterFiles adapter)
    {
        foreach (var pair in adapter.Pairs)
        {
            if (!shapes.TryGetValue(pair.WeightName, out var shape))
                throw new CheckpointException($"{adapter.Directory}: the adapter changes '{pair.WeightName}', which the base model does not have",
                    "The adapter was trained on another architecture; check base_model_name_or_path in adapter_config.json.");
            if (shape[0] != pair.B.shape[0] || shape[1] != pair.A.shape[1])
                throw new CheckpointException($"{adapter.Directory}: '{pair.WeightName}' is [{string.Join(", ", shape)}] but B·A is [{pair.B.shape[0]}, {pair.A.shape[1]}]",
                    "The adapter was trained on a model of another size.");
        }
        foreach (var saved in adapter.Saved)
        {
            if (!shapes.TryGetValue(saved.WeightName, out var shape))
                throw new CheckpointException($"{adapter.Directory}: the adapter replaces '{saved.WeightName}', which the base model does not have",
                    "The adapter was trained on another architecture; check base_model_name_or_path in adapter_config.json.");
            if (!shape.SequenceEqual(saved.Weight.shape))
                throw new CheckpointException($"{adapter.Directory}: '{saved.WeightName}' is [{string.Join(", ", shape)}] but the adapter's is [{string.Join(", ", saved.Weight.shape)}]",
                    "The adapter was trained on a model of another size.");
        }
    }

    /// <summary>W + scaling · B·A computed in float32 on the CPU, returned in <paramref name="dtype"/>: the one formula of every merge.</summary>
    public static Tensor Merged(Tensor weight, LoraPair pair, double scaling, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var delta = pair.B.matmul(pair.A) * scaling;                              // (out, in)
        var merged = weight.to_type(ScalarType.Float32).cpu() + delta;
        return merged.to_type(dtype).MoveToOuterDisposeScope();
    }
}
