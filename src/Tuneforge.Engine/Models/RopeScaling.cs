namespace Tuneforge.Engine.Models;

/// <summary><c>rope_scaling</c> of config.json. Types: <c>default</c>, <c>linear</c>, <c>llama3</c>.</summary>
public sealed record RopeScaling(
    string Type,
    double Factor,
    double LowFreqFactor = 1.0,
    double HighFreqFactor = 4.0,
    int OriginalMaxPositionEmbeddings = 8192)
{
    public static readonly IReadOnlyList<string> SupportedTypes = ["default", "linear", "llama3"];

    /// <summary>Applies the scaling to HF's inverse frequencies (computed in float64, used in float32).</summary>
    public double[] Apply(double[] inverseFrequencies)
    {
        switch (Type)
        {
            case "default":
                return inverseFrequencies;
            case "linear":
                return inverseFrequencies.Select(f => f / Factor).ToArray();
            case "llama3":
                // Long wavelengths are divided by the factor, short ones kept, the band between interpolated.
                var lowFreqWavelength = OriginalMaxPositionEmbeddings / LowFreqFactor;
                var highFreqWavelength = OriginalMaxPositionEmbeddings / HighFreqFactor;
                return inverseFrequencies.Select(f =>
                {
                    var wavelength = 2 * Math.PI / f;
                    if (wavelength < highFreqWavelength) return f;
                    if (wavelength > lowFreqWavelength) return f / Factor;
                    var smooth = (OriginalMaxPositionEmbeddings / wavelength - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
                    return (1 - smooth) * f / Factor + smooth * f;
                }).ToArray();
            default:
                throw new InvalidOperationException($"rope_scaling type '{Type}' is not supported");
        }
    }
}
