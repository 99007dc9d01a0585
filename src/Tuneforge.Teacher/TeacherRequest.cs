using Tuneforge.Text;

namespace Tuneforge.Teacher;

/// <summary>One chat completion to ask a teacher for; <paramref name="Sample"/> tells apart the k samples of one prompt.</summary>
public sealed record TeacherRequest(IReadOnlyList<ChatMessage> Messages, int Sample = 0);
