using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Gguf;

/// <summary>What one export wrote.</summary>
public sealed record GgufExport(string Path, GgufFileType FileType, long Bytes, IReadOnlyDictionary<GgmlType, int> TensorsByType);

/// <summary>
/// Exports a <see cref="CausalLM"/> (a merged model) with its tokenizer as one GGUF file that llama.cpp, Ollama and
/// LM Studio load: architecture metadata, tokenizer metadata, tensors renamed to llama.cpp's names, Llama q/k rows
/// permuted to llama.cpp's rotary layout, and matrices stored in the file type's ggml type.
/// </summary>
public static class GgufExporter
{
    /// <param name="chatTemplate">The Jinja chat template the model was trained with (<c>tokenizer.chat_template</c>).</param>
    public static GgufExport Export(CausalLM model, HfTokenizer tokenizer, string? chatTemplate, string path, GgufFileType fileType, string name,
        Action<int, int>? onTensor = null)
    {
        using var source = new ModuleWeights(model);
        return Export(source, tokenizer, chatTemplate, path, fileType, name, onTensor);
    }

    /// <summary>Exports the weights of <paramref name="source"/> (a merged folder, read one tensor at a time while the file is written).</summary>
    /// <param name="chatTemplate">The Jinja chat template the model was trained with (<c>tokenizer.chat_template</c>).</param>
    public static GgufExport Export(IWeightSource source, HfTokenizer tokenizer, string? chatTemplate, string path, GgufFileType fileType, string name,
        Action<int, int>? onTensor = null)
    {
        var config = source.Config;
        var writer = new GgufWriter();
        GgufModelMetadata.AddGeneral(writer, config, name, fileType);
        GgufModelMetadata.AddArchitecture(writer, config);
        GgufModelMetadata.AddTokenizer(writer, tokenizer, config.VocabSize, chatTemplate);

        var byType = new Dictionary<GgmlType, int>();
        if (config.RopeScaling is { Type: "llama3" })
        {
            var factors = RopeFrequencyFactors(config);
            writer.AddTensor("rope_freqs.weight", [factors.Length], GgmlType.F32, () => GgmlBlocks.Encode(factors, GgmlType.F32));
            byType[GgmlType.F32] = 1;
        }
        foreach (var tensor in source.Tensors)
        {
            var hfName = tensor.Name;
            var ggufName = GgufTensorNames.ToGguf(hfName);
            var dims = tensor.Shape.Reverse().ToArray();
            var type = GgufFileTypes.TensorType(fileType, ggufName, dims, config.TieWordEmbeddings, config.NumHiddenLayers);
            byType[type] = byType.GetValueOrDefault(type) + 1;
            var heads = LlamaRotaryLayout.HeadsToPermute(config, hfName);
            writer.AddTensor(ggufName, dims, type, () =>
            {
                using var values = source.Read(hfName);
                return GgmlBlocks.Encode(Values(values, heads), type);
            });
        }
        var bytes = writer.Write(path, onTensor);
        return new GgufExport(path, fileType, bytes, byType);
    }

    // Float32 values on the CPU in llama.cpp's layout.
    private static float[] Values(Tensor parameter, int? heads)
    {
        using var scope = NewDisposeScope();
        var values = parameter.detach().to(CPU).to_type(ScalarType.Float32);
        if (heads is int h) values = LlamaRotaryLayout.ToInterleaved(values, h);
        return values.contiguous().data<float>().ToArray();
    }

    /// <summary>llama3 RoPE scaling as llama.cpp applies it: per frequency, the divisor of the unscaled frequency.</summary>
    internal static float[] RopeFrequencyFactors(ModelConfig config)
    {
        var frequencies = Enumerable.Range(0, config.HeadDim / 2).Select(i => 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim)).ToArray();
        var scaled = config.RopeScaling!.Apply(frequencies);
        return frequencies.Zip(scaled, (f, s) => (float)(f / s)).ToArray();
    }
}
