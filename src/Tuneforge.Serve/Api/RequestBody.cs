using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tuneforge.Serve.Api;

/// <summary>Reads a request body as one JSON object, within the size limit, with errors that say where the JSON is wrong.</summary>
internal static class RequestBody
{
    public static async Task<JsonElement> ReadObjectAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
        catch (BadHttpRequestException e)
        {
            throw new ApiError(400, "Invalid request", $"body: {e.Message}", "body");
        }
        if (buffer.Length == 0) throw ApiError.Invalid("body", "the request has no body; send a JSON object");
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw ApiError.Invalid("body", $"expected a JSON object, found {JsonFields.Kind(document.RootElement)}");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is long line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw ApiError.Invalid("body", $"not valid JSON{where}: {FirstSentence(e.Message)}");
        }
    }

    private static ApiError TooLarge(long maxBytes) =>
        new(413, "Request body too large", $"body: the request body is larger than {maxBytes:N0} bytes, the server's limit", "body");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).Trim();
    }
}
