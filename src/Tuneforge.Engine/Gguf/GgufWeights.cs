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
            if (LlamaRotaryLayout.HeadsToPermute(config, hfName) is int heads)
            {
                // Llama's q/k rows are permuted per head: decoded whole (a q or k projection, never the largest tensor).
                var whole = torch.tensor(GgmlBlocks.Decode(file.ReadBytes(info), info.Type, info.ElementCount)).reshape(parameter.shape);
                parameter.copy_(LlamaRotaryLayout.ToRotateHalf(whole, heads));
                continue;
            }
            CopyByRows(file, info, parameter);
        }
    }

    /// <summary>Rows decoded per read: 2²² values (16 MiB as float32), so a 152k-row embedding is never decoded whole.</summary>
    private const long RowChunkElements = 1L << 22;

    // GGUF stores a tensor as rows of ne0 values, each whole blocks: parts of rows decode on their own.
    private static void CopyByRows(GgufFile file, GgufTensorInfo info, Tensor parameter)
    {
        var rowLength = info.Dims[0];
        var rowBytes = GgmlTypes.ByteCount(info.Type, [rowLength]);
        var rows = info.ElementCount / rowLength;
        var chunk = Math.Max(1, RowChunkElements / rowLength);
        using var target = parameter.view(rows, rowLength);
        for (long start = 0; start < rows; start += chunk)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(chunk, rows - start);
            var values = GgmlBlocks.Decode(file.ReadBytes(info, start * rowBytes, count * rowBytes), info.Type, count * rowLength);
            target.narrow(0, start, count).copy_(torch.tensor(values).view(count, rowLength));
        }
    }
}
