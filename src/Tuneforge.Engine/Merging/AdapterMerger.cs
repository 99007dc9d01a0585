using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Merging;

/// <summary>Folds a LoRA adapter into a model's weights in place: W ← W + scaling · B·A, computed in float32.</summary>
public static class AdapterMerger
{
    /// <summary>Returns the number of weights changed. Every adapted module must exist in the model with matching sizes.</summary>
    public static int Merge(CausalLM model, LoraAdapterFiles adapter)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var pair in adapter.Pairs)
        {
            if (!parameters.TryGetValue(pair.WeightName, out var weight))
                throw new CheckpointException($"{adapter.Directory}: the adapter changes '{pair.WeightName}', which the base model does not have",
                    "The adapter was trained on another architecture; check base_model_name_or_path in adapter_config.json.");
            if (weight.shape[0] != pair.B.shape[0] || weight.shape[1] != pair.A.shape[1])
                throw new CheckpointException($"{adapter.Directory}: '{pair.WeightName}' is [{string.Join(", ", weight.shape)}] but B·A is [{pair.B.shape[0]}, {pair.A.shape[1]}]",
                    "The adapter was trained on a model of another size.");
        }
        using var _ = no_grad();
        foreach (var pair in adapter.Pairs)
        {
            using var scope = NewDisposeScope();
            var weight = parameters[pair.WeightName];
            var delta = pair.B.matmul(pair.A) * adapter.Scaling;                              // (out, in)
            var merged = weight.to_type(ScalarType.Float32).cpu() + delta;
            weight.copy_(merged.to_type(weight.dtype));
        }
        return adapter.Pairs.Count;
    }
}
