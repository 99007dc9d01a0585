using System.IO.Hashing;
using System.Runtime.InteropServices;
using Tuneforge.Text;

namespace Tuneforge.Data.Cleaning;

/// <summary>128-bit keys of a record's normalized text: the whole conversation (exact duplicates), and everything
/// before the answer (the prompt: the same prompt with another answer is a conflict).</summary>
internal static class ContentKeys
{
    public static UInt128 Conversation(IReadOnlyList<ChatMessage> messages) => Hash(messages, messages.Count);

    public static UInt128 Prompt(IReadOnlyList<ChatMessage> messages) => Hash(messages, messages.Count - 1);

    static UInt128 Hash(IReadOnlyList<ChatMessage> messages, int count)
    {
        var hash = new XxHash128();
        Span<char> separator = ['\0', '\0'];
        for (var i = 0; i < count; i++)
        {
            separator[1] = messages[i].Role[0]; // role and a NUL between turns: ("ab","c") differs from ("a","bc")
            hash.Append(MemoryMarshal.AsBytes((ReadOnlySpan<char>)separator));
            hash.Append(MemoryMarshal.AsBytes(messages[i].Content.AsSpan()));
        }
        return hash.GetCurrentHashAsUInt128();
    }

    /// <summary>The text near duplicates are measured on: every turn's content, one per line.</summary>
    public static string DedupeText(IReadOnlyList<ChatMessage> messages) =>
        messages.Count == 2 ? $"{messages[0].Content}\n{messages[1].Content}" : string.Join('\n', messages.Select(m => m.Content));
}
