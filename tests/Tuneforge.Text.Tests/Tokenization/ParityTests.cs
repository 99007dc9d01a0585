using System.Text;

namespace Tuneforge.Text.Tests.Tokenization;

/// <summary>Our ids against Hugging Face's tokenizers (Rust, via Tokenizers.DotNet) on the whole parity corpus.</summary>
[Collection(RealTokenizersCollection.Name)]
public sealed class ParityTests(RealTokenizers tokenizers)
{
    [Fact]
    public void Corpus_has_at_least_500_samples_of_every_kind()
    {
        IReadOnlyList<string> samples = ParityCorpus.Samples;

        Assert.True(samples.Count >= 500, $"{samples.Count} samples");
        Assert.Contains(samples, s => s.Any(c => c is >= '\u4e00' and <= '\u9fff'));
        Assert.Contains(samples, s => s.Contains("def ") && s.Contains('\n'));
        Assert.Contains(samples, s => s.Contains("😀"));
        Assert.Contains(samples, s => s.Contains("𠮷"));
        Assert.Contains(samples, s => s.Contains("\r\n"));
        Assert.Contains(samples, s => s.Contains('\u3000'));
        Assert.Contains(samples, s => s.Contains("<｜Assistant｜>"));
        Assert.Contains(samples, s => s.Contains("<|im_start|>"));
        Assert.Contains(samples, s => !s.IsNormalized(NormalizationForm.FormC));
    }

    [Fact]
    public void DeepSeek_ids_equal_Hugging_Face_on_every_corpus_sample() =>
        AssertParity(tokenizers.DeepSeek, tokenizers.DeepSeekReference);

    [Fact]
    public void Qwen3_ids_equal_Hugging_Face_on_every_corpus_sample() =>
        AssertParity(tokenizers.Qwen, tokenizers.QwenReference);

    [Fact]
    public void DeepSeek_decode_of_encode_gives_back_every_sample()
    {
        string[] broken = ParityCorpus.Samples
            .Select((text, line) => (text, line))
            .Where(s => tokenizers.DeepSeek.Decode(tokenizers.DeepSeek.Encode(s.text)) != s.text)
            .Select(s => $"line {s.line + 1}: {Show(s.text)}")
            .ToArray();

        Assert.True(broken.Length == 0, string.Join("\n", broken));
    }

    [Fact]
    public void Qwen3_decode_of_encode_gives_back_every_sample_in_NFC()
    {
        // Qwen's normalizer is NFC, so a decomposed é comes back composed, as in Hugging Face.
        string[] broken = ParityCorpus.Samples
            .Select((text, line) => (text, line))
            .Where(s => tokenizers.Qwen.Decode(tokenizers.Qwen.Encode(s.text)) != s.text.Normalize(NormalizationForm.FormC))
            .Select(s => $"line {s.line + 1}: {Show(s.text)}")
            .ToArray();

        Assert.True(broken.Length == 0, string.Join("\n", broken));
    }

    [Fact]
    public void Decoding_without_special_tokens_equals_Hugging_Face()
    {
        foreach ((HfTokenizer ours, Tokenizers.DotNet.Tokenizer reference) in new[]
                 {
                     (tokenizers.DeepSeek, tokenizers.DeepSeekReference),
                     (tokenizers.Qwen, tokenizers.QwenReference),
                 })
        {
            foreach (string sample in ParityCorpus.Samples)
            {
                int[] ids = ours.Encode(sample);
                Assert.Equal(Reference.DecodeSkippingSpecial(reference, ids), ours.Decode(ids, skipSpecialTokens: true));
            }
        }
    }

    [Fact]
    public void Normalization_leaves_added_tokens_alone_as_Hugging_Face_does()
    {
        // NFC would turn '>' + U+0338 into '≯' and break the token; Hugging Face cuts added tokens out first.
        string[] samples = ["<|im_end|>\u0338", "<|im_start|>cafe\u0301<|im_end|>\u0301x", "e\u0301<think>\u0301</think>", "<|endoftext|>\u0338\u0338"];

        foreach (string sample in samples)
        {
            Assert.Equal(Reference.Encode(tokenizers.QwenReference, sample), tokenizers.Qwen.Encode(sample));
        }

        Assert.Equal(tokenizers.Qwen.TokenToId("<|im_end|>"), tokenizers.Qwen.Encode("<|im_end|>\u0338")[0]);
    }

    [Fact]
    public void Encoding_from_many_threads_gives_the_same_ids()
    {
        IReadOnlyList<string> samples = ParityCorpus.Samples;
        int[][] sequential = samples.Select(tokenizers.DeepSeek.Encode).ToArray();
        var parallel = new int[samples.Count][];

        Parallel.For(0, samples.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = tokenizers.DeepSeek.Encode(samples[i]));

        for (int i = 0; i < samples.Count; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }

    [Fact]
    public void The_Microsoft_ML_tokenizer_gives_the_same_ids_as_Encode()
    {
        foreach (string sample in ParityCorpus.Samples.Take(200))
        {
            Assert.Equal(tokenizers.Qwen.Encode(sample), tokenizers.Qwen.MlTokenizer.EncodeToIds(sample));
        }
    }

    private static void AssertParity(HfTokenizer ours, Tokenizers.DotNet.Tokenizer reference)
    {
        var mismatches = new List<string>();
        int lineNumber = 0;
        foreach (string sample in ParityCorpus.Samples)
        {
            lineNumber++;
            int[] expected = Reference.Encode(reference, sample);
            int[] actual = ours.Encode(sample);
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                int at = 0;
                while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
                {
                    at++;
                }

                mismatches.Add($"line {lineNumber} {Show(sample)}: first difference at token {at}: " +
                               $"expected [{string.Join(",", expected.Skip(at).Take(5))}] got [{string.Join(",", actual.Skip(at).Take(5))}]");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches:\n{string.Join("\n", mismatches.Take(10))}");
    }

    private static readonly System.Text.Json.JsonSerializerOptions Readable =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Show(string text) =>
        System.Text.Json.JsonSerializer.Serialize(text.Length > 60 ? text[..60] + "…" : text, Readable);
}
