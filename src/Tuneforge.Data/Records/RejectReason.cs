namespace Tuneforge.Data.Records;

/// <summary>Why a record is in rejects.jsonl. The codes are stable (stats.json counts by them); each reject also
/// carries a sentence with the details.</summary>
public static class RejectReason
{
    // The record parses but cannot be used (data.on_invalid_record decides: reject or fail).
    public const string NotAnObject = "not_an_object";
    public const string MissingField = "missing_field";
    public const string WrongType = "wrong_type";
    public const string AmbiguousShape = "ambiguous_shape";
    public const string EmptyMessages = "empty_messages";
    public const string UnknownRole = "unknown_role";
    public const string BadTurnOrder = "bad_turn_order";
    public const string ToolCalls = "tool_calls";

    // Clean's own decisions.
    public const string EmptyPrompt = "empty_prompt";
    public const string EmptyResponse = "empty_response";
    public const string TooShort = "too_short";
    public const string TooLong = "too_long";
    public const string TooFewTokens = "too_few_tokens";
    public const string TooManyTokens = "too_many_tokens";
    public const string ExactDuplicate = "exact_duplicate";
    public const string NearDuplicate = "near_duplicate";
    public const string ConflictingAnswer = "conflicting_answer";
    public const string SupersededByReview = "superseded_by_review";

    /// <summary>Reasons that mean the record itself is malformed, as opposed to a cleaning decision.</summary>
    public static bool IsInvalidRecord(string reason) => reason is NotAnObject or MissingField or WrongType
        or AmbiguousShape or EmptyMessages or UnknownRole or BadTurnOrder or ToolCalls;
}
