using Tuneforge.Data.Training;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Training.Data;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization.Quality;

/// <summary>
/// Perplexity of a model on reference answers, teacher-forced: exp of the mean negative log-likelihood over the
/// trained (response) tokens of each example, the same tokens the training loss counts. One example at a time, the
/// log-softmax in float32, so formats are compared on identical tokens.
/// </summary>
public static class ResponsePerplexity
{
    public static double Measure(CausalLM model, IReadOnlyList<EncodedExample> examples, Action<int, int>? onExample = null)
    {
        double totalNll = 0;
        long tokens = 0;
        using var _ = no_grad();
        for (var e = 0; e < examples.Count; e++)
        {
            var example = examples[e];
            if (example.TrainedTokens == 0) continue;
            using var scope = NewDisposeScope();
            var ids = tensor(example.InputIds.Select(i => (long)i).ToArray(), device: model.Device).view(1, -1);
            var logits = model.call(new CausalLMInput(ids)).Logits!.squeeze(0).to_type(ScalarType.Float32);     // (T, V)
            var logProbabilities = logits.narrow(0, 0, example.Length - 1).log_softmax(-1);                  // predicts 1..T-1
            var targets = ids.squeeze(0).narrow(0, 1, example.Length - 1).unsqueeze(1);
            var picked = logProbabilities.gather(1, targets).squeeze(1).cpu().data<float>().ToArray();
            for (var i = 1; i < example.Length; i++)
            {
                if (!example.LossMask[i]) continue;
                totalNll -= picked[i - 1];
                tokens++;
            }
            onExample?.Invoke(e + 1, examples.Count);
        }
        return tokens == 0 ? double.NaN : Math.Exp(totalNll / tokens);
    }
}
