using System.IO.Hashing;
using System.Runtime.InteropServices;
using Tuneforge.Text;

namespace Tuneforge.Data.Cleaning;

/// <summary>128-bit keys of a record's normalized text: the whole conversation (exact duplicates), and everything
/// before the answer (the prompt: the same prompt with another answer is a conflict). A preference record's rejected
/// answer and label belong to its conversation: two pairs with one chosen answer and two rejected ones are two records.</summary>
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

    /// <summary>The keys of a record, its preference (rejected answer, label) included.</summary>
    public static (UInt128 Prompt, UInt128 Conversation) Of(Records.CanonicalRecord record)
    {
        var (prompt, conversation) = Of(record.Messages);
        if (!record.IsPreference) return (prompt, conversation);
        var hash = threadHash!;
        if (record.Rejected is { } rejected) Append(hash, new ChatMessage("rejected", rejected));
        if (record.Label is { } label) Append(hash, new ChatMessage("label", label ? "true" : "false"));
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

    /// <summary>The shingles of a record, its rejected answer (a pair's) as one more line.</summary>
    public static uint[] Shingles(Records.CanonicalRecord record, int n) =>
        Dedupe.Shingles.Of([.. record.Messages.Select(m => m.Content), .. record.Rejected is { } rejected ? new[] { rejected } : []], n);
}
