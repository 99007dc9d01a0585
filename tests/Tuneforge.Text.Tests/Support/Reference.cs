namespace Tuneforge.Text.Tests;

/// <summary>Calls into Hugging Face's tokenizers (Tokenizers.DotNet) with our id types.</summary>
internal static class Reference
{
    public static int[] Encode(Tokenizers.DotNet.Tokenizer reference, string text) =>
        reference.Encode(text).Select(id => checked((int)id)).ToArray();

    /// <summary>Hugging Face's decode; Tokenizers.DotNet always skips special tokens.</summary>
    public static string DecodeSkippingSpecial(Tokenizers.DotNet.Tokenizer reference, IEnumerable<int> ids) =>
        reference.Decode(ids.Select(id => checked((uint)id)).ToArray());
}
