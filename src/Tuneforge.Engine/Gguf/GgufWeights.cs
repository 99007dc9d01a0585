using TorchSharp;
using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Gguf;

/// <summary>
/// Loads the weights of a GGUF file written by <see cref="GgufExporter"/> back into a <see cref="CausalLM"/> of the
/// same config, dequantized exactly as llama.cpp dequantizes them. The engine then computes with precisely the
/// weights a GGUF file holds: the perplexity and answers of a Q4_0 file, measured in the engine.
/// </summary>
public static class GgufWeights
{
    public static void Load(CausalLM model, GgufFile file)
    {
        var config = model.Config;
        var architecture = file.Metadata.TryGetValue("general.architecture", out var arch) ? arch.AsString() : null;
        if (architecture != GgufModelMetadata.ArchitectureName(config.Architecture))
            throw new InvalidDataException($"{file.Path}: general.architecture is '{architecture}', but the model is {config.Traits.HfName}");
        using var _ = no_grad();
        foreach (var (hfName, parameter) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            var info = file.Tensor(GgufTensorNames.ToGguf(hfName));
            if (!info.TorchShape.SequenceEqual(parameter.shape))
                throw new InvalidDataException($"{file.Path}: tensor '{info.Name}' has shape [{string.Join(", ", info.TorchShape)}], the model expects [{string.Join(", ", parameter.shape)}]");
            var values = GgmlBlocks.Decode(file.ReadBytes(info), info.Type, info.ElementCount);
            var tensor = torch.tensor(values).reshape(parameter.shape);
            if (LlamaRotaryLayout.HeadsToPermute(config, hfName) is int heads) tensor = LlamaRotaryLayout.ToRotateHalf(tensor, heads);
            parameter.copy_(tensor);
        }
    }
}
