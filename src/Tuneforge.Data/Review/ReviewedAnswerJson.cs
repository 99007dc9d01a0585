using Tuneforge.Data.Records;
using System.Buffers;
using System.Text.Json;

namespace Tuneforge.Data.Review;

/// <summary>The JSON-lines form of a <see cref="ReviewedAnswer"/>:
/// <c>{"id","category","messages":[{"role","content"}],"rejected"?,"label"?,"rating"?,"corrected","model"?,"response_id"?,"comment"?,"reviewer"?}</c>
/// (rejected and label are the preference shapes Clean reads),
/// Chinese written as is.</summary>
public static class ReviewedAnswerJson
{
    public static void Write(Utf8JsonWriter json, ReviewedAnswer answer)
    {
        json.WriteStartObject();
        json.WriteString("id", answer.Id);
        json.WriteString("category", answer.Category);
        // OpenAI's (and DeepSeek's) name for the reasoning, so any chat tool reads the file too.
        RecordJson.WriteMessages(json, answer.Messages, "reasoning_content");
        if (answer.Rejected is not null) json.WriteString("rejected", answer.Rejected);
        if (answer.Label is { } label) json.WriteBoolean("label", label);
        if (answer.Rating is { } rating) json.WriteNumber("rating", rating);
        json.WriteBoolean("corrected", answer.Corrected);
        if (answer.Model is not null) json.WriteString("model", answer.Model);
        if (answer.ResponseId is not null) json.WriteString("response_id", answer.ResponseId);
        if (answer.Comment is { Length: > 0 }) json.WriteString("comment", answer.Comment);
        if (answer.Reviewer is { Length: > 0 }) json.WriteString("reviewer", answer.Reviewer);
        json.WriteEndObject();
    }

    /// <summary>One answer as UTF-8 JSON without a line break.</summary>
    public static byte[] ToUtf8(ReviewedAnswer answer)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, RecordJson.WriterOptions)) Write(json, answer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes answers as JSON lines, atomically (a temporary file renamed over the target).</summary>
    public static int WriteFile(string path, IEnumerable<ReviewedAnswer> answers)
    {
        var target = Path.GetFullPath(path);
        if (Path.GetDirectoryName(target) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        var temporary = $"{target}.tmp-{Environment.ProcessId}";
        var written = 0;
        try
        {
            using (var stream = File.Create(temporary))
                foreach (var answer in answers)
                {
                    stream.Write(ToUtf8(answer));
                    stream.WriteByte((byte)'\n');
                    written++;
                }
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return written;
    }
}
