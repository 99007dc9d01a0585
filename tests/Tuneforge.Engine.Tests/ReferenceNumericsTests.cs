using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

/// <summary>The engine's logits against an independent float64 forward pass in plain PyTorch.</summary>
public sealed class ReferenceNumericsTests
{
    private static readonly long[][] Inputs =
    [
        [5, 17, 42, 8, 91, 3, 64, 22, 7, 50, 11, 30],
        [0, 0, 0, 0, 12, 77, 4, 4, 60, 2, 19, 88],   // left padded: the first four positions are masked
    ];
    private static readonly long[][] Mask = [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]];

    [PythonTorchFact]
    public void Qwen2_logits_match_the_reference_within_1e4() => AssertMatchesReference(TinyModels.Qwen2(), seed: 1);

    [PythonTorchFact]
    public void Qwen2_with_tied_embeddings_matches_the_reference() => AssertMatchesReference(TinyModels.Qwen2(tied: true), seed: 2);

    [PythonTorchFact]
    public void Qwen3_with_qk_norm_and_explicit_head_dim_matches_the_reference() => AssertMatchesReference(TinyModels.Qwen3(), seed: 3);

    [PythonTorchFact]
    public void Llama_with_llama3_rope_scaling_matches_the_reference() => AssertMatchesReference(TinyModels.Llama3(), seed: 4);

    private static void AssertMatchesReference(ModelConfig config, long seed)
    {
        using var directory = new TempDirectory();
        using (var original = TinyModels.Random(config, seed)) PretrainedModel.Save(original, directory.Path);

        using var model = PretrainedModel.Load(directory.Path, ComputeOptions.Cpu());
        var engine = EngineLogits(model);
        var reference = PythonReference.Logits(directory.Path, Inputs, Mask, directory.Path);

        Assert.Equal(reference.Length, engine.Length);
        var vocab = config.VocabSize;
        var worst = 0.0;
        var spread = 0.0;
        for (var row = 0; row < Inputs.Length; row++)
        for (var position = 0; position < Inputs[row].Length; position++)
        {
            if (Mask[row][position] == 0) continue;   // padding positions are never read
            for (var token = 0; token < vocab; token++)
            {
                var index = (row * Inputs[row].Length + position) * vocab + token;
                worst = Math.Max(worst, Math.Abs(engine[index] - reference[index]));
                spread = Math.Max(spread, Math.Abs(reference[index]));
            }
        }
        Assert.True(spread > 1.0, $"logits too flat ({spread}) for the comparison to mean anything");
        Assert.True(worst < 1e-4, $"max |engine - reference| = {worst:E2} (logit magnitude up to {spread:F2})");
    }

    internal static float[] EngineLogits(CausalLM model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var ids = tensor(Inputs.SelectMany(r => r).ToArray()).view(Inputs.Length, -1);
        var mask = tensor(Mask.SelectMany(r => r).ToArray()).view(Mask.Length, -1);
        var output = model.call(new CausalLMInput(ids, mask));
        return output.Logits!.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }
}
