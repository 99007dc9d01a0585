namespace Tuneforge.Teacher;

/// <summary>A teacher that cannot answer: wrong key, wrong model, unreachable, garbage, spend limit. The message is for the user.</summary>
public sealed class TeacherException(string message, Exception? inner = null) : Exception(message, inner);
