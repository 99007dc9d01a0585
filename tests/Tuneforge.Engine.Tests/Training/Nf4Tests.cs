using Tuneforge.Engine.Models.Layers;
using Tuneforge.Engine.Quantization;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

public sealed class Nf4Tests
{
    [Fact]
    public void The_levels_are_bitsandbytes_nf4()
    {
        Assert.Equal(16, Nf4Code.Levels.Count);
        Assert.Equal(-1f, Nf4Code.Levels[0]);
        Assert.Equal(0f, Nf4Code.Levels[7]);
        Assert.Equal(1f, Nf4Code.Levels[15]);
        Assert.Equal(0.07958029955625534f, Nf4Code.Levels[8]);
        Assert.Equal(-0.6961928009986877f, Nf4Code.Levels[1]);
        Assert.Equal((1 - 0.6961928009986877) / 2, Nf4Code.MaxRelativeError, 6);   // the widest gap is between −1 and the next level
    }

    [Fact]
    public void Values_are_scaled_by_their_block_absmax_rounded_to_the_nearest_level_and_packed_high_nibble_first()
    {
        // Block 1 (absmax 2): 2 → 1.0 (15), −2 → −1.0 (0), 0 → 0 (7), 0.9 → 0.45 → nearest 0.4407 (12).
        // Block 2 (absmax 0.5): 0.5 → 15, 0.04 → 0.08 → nearest 0.0796 (8), −0.1 → −0.2 → nearest −0.1848 (5), 0 → 7.
        using var weight = tensor(new float[] { 2, -2, 0, 0.9f, 0.5f, 0.04f, -0.1f, 0 });
        using var q = Nf4Tensor.Quantize(weight, blockSize: 4);
        Assert.Equal(new float[] { 2, 0.5f }, q.Absmax.data<float>().ToArray());
        Assert.Equal(new byte[] { 15 << 4 | 0, 7 << 4 | 12, 15 << 4 | 8, 5 << 4 | 7 }, q.Packed.data<byte>().ToArray());
        using var back = q.Dequantize(ScalarType.Float32);
        var expected = new[] { 2f, -2f, 0f, 0.44070982933044434f * 2, 0.5f, 0.07958029955625534f * 0.5f, -0.18477343022823334f * 0.5f, 0f };
        Assert.Equal(expected, back.data<float>().ToArray());
        Assert.Equal(4 + 2 * 4, q.StorageBytes);
    }

    [Fact]
    public void Round_trip_error_stays_within_half_the_widest_level_gap_of_each_block_absmax()
    {
        using var generator = new Generator(3);
        using var weight = normal(0, 0.02, [96, 200], generator: generator);   // 19,200 values: a partial last block of 64
        using var q = Nf4Tensor.Quantize(weight, blockSize: 64);
        using var back = q.Dequantize(ScalarType.Float32);
        Assert.Equal(weight.shape, back.shape);
        var original = weight.data<float>().ToArray();
        var restored = back.data<float>().ToArray();
        var absmax = q.Absmax.data<float>().ToArray();
        double meanRelative = 0;
        for (var i = 0; i < original.Length; i++)
        {
            var scale = absmax[i / 64];
            var error = Math.Abs(original[i] - restored[i]);
            Assert.True(error <= Nf4Code.MaxRelativeError * scale * (1 + 1e-6), $"value {i}: error {error} exceeds {Nf4Code.MaxRelativeError} × {scale}");
            meanRelative += error / scale;
        }
        meanRelative /= original.Length;
        // Normal weights land mostly between the dense middle levels: the mean error is far below the bound.
        Assert.InRange(meanRelative, 0.01, 0.05);
        // Each block's largest magnitude is stored exactly (it becomes ±1 · absmax).
        for (var b = 0; b < absmax.Length; b++)
        {
            var block = Enumerable.Range(b * 64, Math.Min(64, original.Length - b * 64));
            var peak = block.MaxBy(i => Math.Abs(original[i]));
            Assert.Equal(original[peak], restored[peak]);
        }
        Assert.Equal(19_200 / 2 + 300 * 4, q.StorageBytes);   // 4.5 bits per value
    }

    [Fact]
    public void Nf4_linear_matches_a_linear_layer_on_the_dequantized_weight_forward_and_backward()
    {
        using var generator = new Generator(5);
        var projection = new Projection(32, 16, hasBias: true, CPU, ScalarType.Float32);
        using (no_grad())
        {
            projection.Weight.normal_(0, 0.2, generator);
            projection.Bias!.normal_(0, 0.1, generator);
        }
        using var layer = Nf4Linear.From(projection, blockSize: 64, ScalarType.Float32);
        using var x = normal(0, 1, [3, 5, 32], generator: generator).requires_grad_(true);
        using var y = layer.call(x);
        using var upstream = normal(0, 1, [3, 5, 16], generator: generator);
        y.backward([upstream]);

        using var dequantized = layer.Weight.Dequantize(ScalarType.Float32);
        using var reference = x.detach().clone().requires_grad_(true);
        using var expected = nn.functional.linear(reference, dequantized, projection.Bias);
        expected.backward([upstream]);
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.True(x.grad!.allclose(reference.grad!, rtol: 1e-5, atol: 1e-5));
        Assert.True(expected.sub(nn.functional.linear(reference, projection.Weight, projection.Bias)).abs().max().item<float>() > 1e-3,
            "quantization should change the output a little, or the layer would not be quantized at all");
    }

    [Fact]
    public void A_weight_larger_than_a_block_is_dequantized_a_block_of_rows_at_a_time_with_the_same_product_and_gradient()
    {
        using var generator = new Generator(6);
        var projection = new Projection(4096, 5000, hasBias: false, CPU, ScalarType.Float32);   // 20.5M values: two row blocks
        using (no_grad()) projection.Weight.normal_(0, 0.02, generator);
        using var layer = Nf4Linear.From(projection, blockSize: 64, ScalarType.Float32, doubleQuant: true);
        using var whole = layer.Weight.Dequantize(ScalarType.Float32);
        using var x = normal(0, 1, [3, 4096], generator: generator).requires_grad_(true);
        using var upstream = normal(0, 1, [3, 5000], generator: generator);
        using var y = layer.call(x);
        y.backward([upstream]);

        Assert.Equal([(0L, 4096L), (4096L, 904L)], Projection.Blocks(5000, 4096));
        using var expected = nn.functional.linear(x.detach(), whole);
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-4), $"product differs by {(y - expected).abs().max().item<float>():E2}");
        using var expectedGradient = upstream.matmul(whole);
        Assert.True(x.grad!.allclose(expectedGradient, rtol: 1e-5, atol: 1e-4), $"gradient differs by {(x.grad! - expectedGradient).abs().max().item<float>():E2}");
        // From the middle of a block, across chunk boundaries, in another dtype: the same values as the whole tensor's.
        using var part = layer.Weight.DequantizeInto(empty([3_000_001], ScalarType.BFloat16), 17_000_033);
        Assert.True(part.eq(whole.view(-1).narrow(0, 17_000_033, 3_000_001).to_type(ScalarType.BFloat16)).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.Weight.DequantizeInto(empty([10]), 5000L * 4096 - 5));
    }

    [Fact]
    public void The_dynamic_code_of_double_quantization_is_bitsandbytes_create_dynamic_map()
    {
        var code = Nf4DynamicCode.Values;
        Assert.Equal(256, code.Count);
        Assert.Equal(code.Order(), code);
        Assert.Equal(1f, code[^1]);
        Assert.Contains(0f, code);
        Assert.Equal(-0.99296875f, code[0], 6);          // −(0.98593750 + 1) / 2: the largest mean of the last exponent step
        Assert.Equal(5.5e-7f, code[128], 9);             // the smallest positive value: 1e-6 · (0.1 + 1) / 2
        Assert.Equal(code.Where(v => v < 0).Select(v => -v).Order(), code.Where(v => v > 0 && v < 1).Order());
    }

    [Fact]
    public void Double_quantization_stores_absmax_in_8_bits_and_bounds_its_error()
    {
        using var generator = new Generator(8);
        using var weight = normal(0, 0.02, [256, 256], generator: generator);   // 1,024 blocks of 64
        using var plain = Nf4Tensor.Quantize(weight, 64);
        using var nested = Nf4Tensor.Quantize(weight, 64, doubleQuant: true);
        Assert.Equal(plain.Packed.data<byte>().ToArray(), nested.Packed.data<byte>().ToArray());   // levels use the exact absmax
        using var exact = plain.BlockAbsmax();
        using var restored = nested.BlockAbsmax();
        var scales = nested.Nested!.Scales.data<float>().ToArray();
        var halfGap = Enumerable.Range(0, 255).Max(i => (Nf4DynamicCode.Values[i + 1] - Nf4DynamicCode.Values[i]) / 2.0);
        var e = exact.data<float>().ToArray();
        var r = restored.data<float>().ToArray();
        for (var b = 0; b < e.Length; b++)
            Assert.True(Math.Abs(e[b] - r[b]) <= halfGap * scales[b / 256] * 1.0001 + 1e-9, $"block {b}: {e[b]} restored as {r[b]}");
        Assert.True(e.Zip(r).Max(p => Math.Abs(p.First - p.Second) / p.First) < 0.01);
        // 0.5 byte per value + 1 byte per 64 values + 4 bytes per 256 blocks + the offset: ~4.13 bits instead of 4.5.
        Assert.Equal(65_536 / 2 + 1_024 + 4 * 4 + 4, nested.StorageBytes);
        using var back = nested.Dequantize(ScalarType.Float32);
        var worst = weight.sub(back).abs().max().item<float>();
        Assert.True(worst <= (Nf4Code.MaxRelativeError + 0.01) * e.Max(), $"worst error {worst}");
    }
}
