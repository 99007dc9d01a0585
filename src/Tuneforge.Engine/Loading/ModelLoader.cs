using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Loading;

/// <summary>Builds the <see cref="CausalLM"/> of a resolved location: a checkpoint's weights, or a preset's seeded ones.</summary>
public static class ModelLoader
{
    public static CausalLM Load(ModelLocation location, ComputeOptions compute, long presetSeed = 0)
    {
        if (location.Directory is not null) return PretrainedModel.Load(location.Directory, compute);
        RefuseInMemory(location.Preset!);
        var model = new CausalLM(location.Preset!.Config, compute.Device, compute.DType, compute.Activations);
        ParameterInitializer.Initialize(model, presetSeed);
        model.eval();
        return model;
    }

    /// <summary>A real-size shape is written to disk once (streamed) and loaded from there like the model it copies.</summary>
    public static void RefuseInMemory(Presets.ModelPreset preset)
    {
        if (preset.ShapeOf is null) return;
        throw new EngineException($"preset:{preset.Name} has {preset.ShapeOf}'s size and is not built in memory",
            $"Write it once with `tuneforge-engine init --preset {preset.Name} --out DIR` (seeded bfloat16 shards) and set model.source to DIR.");
    }

    /// <summary>The config without loading weights (for <c>info</c>).</summary>
    public static ModelConfig Config(ModelLocation location) =>
        location.Directory is not null
            ? ModelConfig.Load(Path.Combine(location.Directory, PretrainedModel.ConfigFileName))
            : location.Preset!.Config;
}
