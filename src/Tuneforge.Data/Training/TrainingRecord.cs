using Tuneforge.Text;

namespace Tuneforge.Data.Training;

/// <summary>One conversation of a split file; <paramref name="Location"/> is file:line for messages.</summary>
public sealed record TrainingRecord(string Id, IReadOnlyList<ChatMessage> Messages, string Location);
