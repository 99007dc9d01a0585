using System.Text;
using System.Text.Json;
using Tuneforge.Data.Cleaning.Dedupe;
using Tuneforge.Data.Cleaning.Pii;
using Tuneforge.Data.Reading;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Cleaning;

/// <summary>Does the per-record work of Clean; safe to call from several threads at once.</summary>
internal sealed class RecordPreparer(CleanSpec clean, HfTokenizer? tokenizer, NearDuplicateIndex? bands)
{
    readonly PiiRedactor? redactor = clean.RedactPii.Enabled ? new PiiRedactor(clean.RedactPii.Kinds) : null;
    readonly MinHasher? hasher = clean.NearDedupe.Enabled ? new MinHasher(clean.NearDedupe.NumPerm) : null;

    public PreparedRecord Prepare(RawRecord raw)
    {
        var prepared = new PreparedRecord(raw);
        if (raw.FatalError is not null)
        {
            prepared.FatalError = $"{raw.Location}: {raw.FatalError}";
            return prepared;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw.Json);
        }
        catch (JsonException e)
        {
            var message = JsonLinesFileReader.ParseError(e, raw.Json.Span, raw.Location, out var at);
            prepared.FatalError = $"{at}: {message}";
            return prepared;
        }
        using (document)
        {
            var set = raw.Set!;
            var mapped = set.Mapper.Map(document.RootElement, raw);
            if (mapped.Record is null)
            {
                prepared.Json = raw.Json;
                return Reject(prepared, mapped.Reason!, mapped.Detail!);
            }
            prepared.Record = mapped.Record with { Origin = set.Origin, Dataset = set.Dataset };
        }
        Transform(prepared);
        prepared.Json = RecordJson.ToUtf8(prepared.Record);
        Measure(prepared);
        return prepared;
    }

    void Transform(PreparedRecord prepared)
    {
        var record = prepared.Record!;
        if (!clean.Normalize && redactor is null) return;
        Dictionary<PiiKind, int>? counts = redactor is null ? null : [];
        var messages = new List<ChatMessage>(record.Messages.Count);
        var changed = false;
        string? Clean(string? text)
        {
            if (text is null) return null;
            var result = clean.Normalize ? TextNormalizer.Normalize(text) : text;
            return redactor is null ? result : redactor.Redact(result, counts);
        }
        foreach (var message in record.Messages)
        {
            var content = Clean(message.Content)!;
            var reasoning = Clean(message.Reasoning);
            var same = ReferenceEquals(content, message.Content) && ReferenceEquals(reasoning, message.Reasoning);
            changed |= !same;
            messages.Add(same ? message : message with { Content = content, Reasoning = reasoning });
        }
        if (counts is { Count: > 0 })
        {
            prepared.Redactions = new int[Enum.GetValues<PiiKind>().Length];
            foreach (var (kind, count) in counts) prepared.Redactions[(int)kind] = count;
        }
        var rejected = Clean(record.Rejected);
        changed |= !ReferenceEquals(rejected, record.Rejected);
        if (changed) prepared.Record = record with { Messages = messages, Rejected = rejected };
    }

    void Measure(PreparedRecord prepared)
    {
        var messages = prepared.Record!.Messages;
        if (messages[^1].Content.Length == 0 || messages[^1].Content.All(char.IsWhiteSpace))
        {
            Reject(prepared, RejectReason.EmptyResponse, "the answer is empty.");
            return;
        }
        if (prepared.Record.Rejected is { } rejected && string.IsNullOrWhiteSpace(rejected))
        {
            Reject(prepared, RejectReason.EmptyResponse, "the rejected answer of the pair is empty.");
            return;
        }
        if (messages.Where(m => m.Role == ChatRoles.User).All(m => string.IsNullOrWhiteSpace(m.Content)))
        {
            Reject(prepared, RejectReason.EmptyPrompt, "the question is empty.");
            return;
        }
        var chars = 0;
        foreach (var message in messages) chars += CountCharacters(message.Content);
        prepared.Chars = chars;
        if (chars < clean.MinChars)
        {
            Reject(prepared, RejectReason.TooShort, $"{chars} characters, fewer than clean.min_chars ({clean.MinChars}).");
            return;
        }
        if (chars > clean.MaxChars)
        {
            Reject(prepared, RejectReason.TooLong, $"{chars} characters, more than clean.max_chars ({clean.MaxChars}).");
            return;
        }
        if (tokenizer is not null)
        {
            var tokens = messages.Sum(m => tokenizer.Encode(m.Content).Length);
            prepared.Tokens = tokens;
            if (tokens < clean.MinTokens)
            {
                Reject(prepared, RejectReason.TooFewTokens, $"{tokens} tokens, fewer than clean.min_tokens ({clean.MinTokens}).");
                return;
            }
            if (tokens > clean.MaxTokens)
            {
                Reject(prepared, RejectReason.TooManyTokens, $"{tokens} tokens, more than clean.max_tokens ({clean.MaxTokens}).");
                return;
            }
        }
        (prepared.PromptKey, prepared.ConversationKey) = ContentKeys.Of(prepared.Record);
        if (hasher is not null)
        {
            prepared.Shingles = ContentKeys.Shingles(prepared.Record, clean.NearDedupe.Ngram);
            Span<uint> signature = stackalloc uint[hasher.NumPerm];
            hasher.Signature(prepared.Shingles, signature);
            prepared.BandKeys = bands!.BandKeys(signature);
        }
    }

    static PreparedRecord Reject(PreparedRecord prepared, string reason, string detail)
    {
        prepared.Reason = reason;
        prepared.Detail = detail;
        return prepared;
    }

    /// <summary>Characters as a person counts them: code points (an emoji is one).</summary>
    public static int CountCharacters(string text)
    {
        var count = text.Length;
        foreach (var c in text)
            if (char.IsLowSurrogate(c)) count--;
        return count;
    }
}
