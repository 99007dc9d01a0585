using LLama;
using LLama.Common;
using LLama.Native;

namespace Tuneforge.Engine.Tests.Gguf;

/// <summary>llama.cpp (through LLamaSharp) as an independent reader: loads a GGUF file and returns its logits.</summary>
internal static class LlamaCpp
{
    private static readonly Lazy<bool> Configured = new(() =>
    {
        // llama.cpp logs every load to stderr; the tests keep only what they assert on (unless a test loaded it first).
        if (!NativeLibraryConfig.LLama.LibraryHasLoaded) NativeLibraryConfig.All.WithLogCallback((_, _) => { });
        return true;
    });

    /// <summary>Logits (positions × vocab) of one sequence, every position, computed by llama.cpp.</summary>
    public static float[][] Logits(string ggufPath, IReadOnlyList<int> ids)
    {
        _ = Configured.Value;
        var parameters = new ModelParams(ggufPath)
        {
            ContextSize = (uint)Math.Max(64, ids.Count),
            BatchSize = (uint)Math.Max(64, ids.Count),
            UBatchSize = (uint)Math.Max(64, ids.Count),
            GpuLayerCount = 0,
            Threads = 2,
            // llama.cpp keeps K/V in f16 by default; f32 leaves only the weights' and matmuls' differences.
            TypeK = GGMLType.GGML_TYPE_F32,
            TypeV = GGMLType.GGML_TYPE_F32,
            FlashAttention = false,
        };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        var batch = new LLamaBatch();
        for (var i = 0; i < ids.Count; i++) batch.Add((LLamaToken)ids[i], i, LLamaSeqId.Zero, logits: true);
        var result = context.Decode(batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode returned {result}");
        return Enumerable.Range(0, ids.Count).Select(i => context.NativeHandle.GetLogitsIth(i).ToArray()).ToArray();
    }

    /// <summary>llama.cpp's tokenization of <paramref name="text"/> with the GGUF's vocabulary (special tokens parsed).</summary>
    public static int[] Tokenize(string ggufPath, string text)
    {
        _ = Configured.Value;
        var parameters = new ModelParams(ggufPath) { GpuLayerCount = 0, VocabOnly = true };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        return weights.Tokenize(text, add_bos: false, special: true, System.Text.Encoding.UTF8).Select(t => (int)t).ToArray();
    }
}
