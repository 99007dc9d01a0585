using System.IO.Hashing;
using System.Runtime.InteropServices;
using Tuneforge.Text;

namespace Tuneforge.Data.Cleaning;

/// <summary>128-bit keys of a record's normalized text: the whole conversation (exact duplicates), and everything
/// before the answer (the prompt: the same prompt with another answer is a conflict).</summary>
internal static class ContentKeys
{
    /// <summary>Both keys in one pass: the prompt's is the hash so far before the answer is added.</summary>
    public static (UInt128 Prompt, UInt128 Conversation) Of(IReadOnlyList<ChatMessage> messages)
    {
        var hash = threadHash ??= new XxHash128();
        hash.Reset();
        for (var i = 0; i < messages.Count - 1; i++) Append(hash, messages[i]);
        var prompt = hash.GetCurrentHashAsUInt128();
        Append(hash, messages[^1]);
        return (prompt, hash.GetCurrentHashAsUInt128());
    }

    [ThreadStatic] static XxHash128? threadHash;

    public static UInt128 Conversation(IReadOnlyList<ChatMessage> messages) => Of(messages).Conversation;

    public static UInt128 Prompt(IReadOnlyList<ChatMessage> messages) => Of(messages).Prompt;

    static void Append(XxHash128 hash, ChatMessage message)
    {
        // Role and a NUL between turns: ("ab","c") differs from ("a","bc").
        ReadOnlySpan<char> separator = ['\0', message.Role[0]];
        hash.Append(MemoryMarshal.AsBytes(separator));
        hash.Append(MemoryMarshal.AsBytes(message.Content.AsSpan()));
    }

    /// <summary>The shingles near duplicates are measured on: every turn's content, one per line.</summary>
    public static uint[] Shingles(IReadOnlyList<ChatMessage> messages, int n) =>
        Dedupe.Shingles.Of(messages.Select(m => m.Content).ToArray(), n);
}
