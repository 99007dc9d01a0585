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
            writer.AddTensorParts(ggufName, dims, type, () => EncodedRows(source, hfName, heads, type));
        }
        var bytes = writer.Write(path, onTensor);
        return new GgufExport(path, fileType, bytes, byType);
    }

    // Values encoded at a time: 4 MiB of floats, so the 152k-row embedding is never held as floats (or encoded) whole.
    private const long EncodeChunkValues = 1 << 20;

    /// <summary>
    /// A tensor in llama.cpp's layout, encoded a chunk of rows at a time: ggml blocks never span a row, so the parts
    /// concatenate to the whole tensor's encoding. Only the stored tensor is held whole (and a Llama q/k, permuted).
    /// </summary>
    private static IEnumerable<byte[]> EncodedRows(IWeightSource source, string name, int? heads, GgmlType type)
    {
        using var stored = source.Read(name);
        using var values = heads is int h ? Interleaved(stored, h) : stored.to(CPU);
        var rows = values.dim() == 1 ? 1 : values.shape[0];
        using var matrix = values.reshape(rows, values.NumberOfElements / rows);
        var step = Math.Max(1, EncodeChunkValues / matrix.shape[1]);
        for (long start = 0; start < rows; start += step)
        {
            yield return Encoded(matrix, start, Math.Min(step, rows - start), type);
        }
    }

    private static byte[] Encoded(Tensor matrix, long start, long count, GgmlType type)
    {
        using var scope = NewDisposeScope();
        return GgmlBlocks.Encode(matrix.narrow(0, start, count).to_type(ScalarType.Float32).contiguous().data<float>().ToArray(), type);
    }

    private static Tensor Interleaved(Tensor parameter, int heads)
    {
        using var scope = NewDisposeScope();
        return LlamaRotaryLayout.ToInterleaved(parameter.to(CPU).to_type(ScalarType.Float32), heads).MoveToOuterDisposeScope();
    }

    /// <summary>llama3 RoPE scaling as llama.cpp applies it: per frequency, the divisor of the unscaled frequency.</summary>
    internal static float[] RopeFrequencyFactors(ModelConfig config)
    {
        var frequencies = Enumerable.Range(0, config.HeadDim / 2).Select(i => 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim)).ToArray();
        var scaled = config.RopeScaling!.Apply(frequencies);
        return frequencies.Zip(scaled, (f, s) => (float)(f / s)).ToArray();
    }
}
