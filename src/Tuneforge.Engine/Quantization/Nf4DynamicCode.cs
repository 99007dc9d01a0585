namespace Tuneforge.Engine.Quantization;

/// <summary>
/// bitsandbytes' signed 8-bit "dynamic" code (<c>create_dynamic_map</c>: 7 exponent steps of 10×, each with twice the
/// fraction values of the last, plus 0 and 1), which its double quantization uses for the NF4 blocks' absmax values.
/// </summary>
public static class Nf4DynamicCode
{
    public static IReadOnlyList<float> Values { get; } = Build();

    /// <summary>Midpoints between neighbouring values, for rounding to the nearest.</summary>
    public static float[] Midpoints { get; } = Enumerable.Range(0, 255).Select(i => (Values[i] + Values[i + 1]) / 2).ToArray();

    private static float[] Build()
    {
        const int exponentBits = 7;
        var data = new List<double>();
        for (var i = 0; i < exponentBits; i++)
        {
            var fractionItems = (1 << i) + 1;
            var scale = Math.Pow(10, -(exponentBits - 1) + i);
            // torch.linspace(0.1, 1, n) in float32, then the means of neighbours.
            var boundaries = Enumerable.Range(0, fractionItems).Select(k => (float)(0.1 + (1 - 0.1) * k / (fractionItems - 1))).ToArray();
            for (var k = 0; k < fractionItems - 1; k++)
            {
                var mean = (boundaries[k] + boundaries[k + 1]) / 2.0f;
                data.Add(scale * mean);
                data.Add(-scale * mean);
            }
        }
        data.Add(0);
        data.Add(1.0);
        return data.Select(v => (float)v).Order().ToArray();
    }
}
