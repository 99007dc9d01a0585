namespace Tuneforge.Teacher;

/// <summary>A teacher's answer: its final text, its reasoning (reasoning_content, or an inline think block), and the usage it reported.</summary>
public sealed record TeacherReply(string Content, string? Reasoning, long PromptTokens, long CompletionTokens, string FinishReason)
{
    public long TotalTokens => PromptTokens + CompletionTokens;
}
