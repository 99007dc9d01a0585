using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Loading;

/// <summary>Builds the <see cref="CausalLM"/> of a resolved location: a checkpoint's weights, or a preset's seeded ones.</summary>
public static class ModelLoader
{
    public static CausalLM Load(ModelLocation location, ComputeOptions compute, long presetSeed = 0)
    {
        if (location.Directory is not null) return PretrainedModel.Load(location.Directory, compute);
        var model = new CausalLM(location.Preset!.Config, compute.Device, compute.DType);
        ParameterInitializer.Initialize(model, presetSeed);
        model.eval();
        return model;
    }

    /// <summary>The config without loading weights (for <c>info</c>).</summary>
    public static ModelConfig Config(ModelLocation location) =>
        location.Directory is not null
            ? ModelConfig.Load(Path.Combine(location.Directory, PretrainedModel.ConfigFileName))
            : location.Preset!.Config;
}
