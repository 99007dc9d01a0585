namespace Tuneforge.Serve.Generation;

/// <summary>Settings used when a request leaves them out: the model's generation_config.json, else OpenAI's defaults.</summary>
public sealed record SamplingDefaults(double Temperature = 1.0, double TopP = 1.0, int TopK = 0, double RepetitionPenalty = 1.0)
{
    public static readonly SamplingDefaults OpenAi = new();
}
