using LLama.Native;
using LLama.Sampling;
using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.LlamaCpp;

/// <summary>
/// llama.cpp's sampler chain in Hugging Face's order (repetition penalty, temperature, top-k, top-p, then a seeded
/// draw), so a request means the same on both backends. llama.cpp's own default applies temperature last.
/// </summary>
internal sealed class HfOrderSamplingPipeline(SamplingSettings settings, IReadOnlyList<LLamaToken> prompt, int penaltyWindow) : BaseSamplingPipeline
{
    protected override SafeLLamaSamplerChainHandle CreateChain(SafeLLamaContextHandle context)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        if (settings.RepetitionPenalty != 1.0)
        {
            chain.AddPenalties(penaltyWindow, (float)settings.RepetitionPenalty, 0, 0);
            foreach (var token in prompt) chain.Accept(token);   // as Hugging Face, the prompt's tokens count as seen
        }
        if (settings.IsGreedy)
        {
            chain.AddGreedySampler();
            return chain;
        }
        chain.AddTemperature((float)settings.Temperature);
        if (settings.TopK > 0) chain.AddTopK(settings.TopK);
        if (settings.TopP < 1.0) chain.AddTopP((float)settings.TopP, 1);
        chain.AddDistributionSampler(unchecked((uint)(settings.Seed ^ (settings.Seed >> 32))));
        return chain;
    }
}
