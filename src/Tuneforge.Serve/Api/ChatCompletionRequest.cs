using System.Text;
using System.Text.Json;
using Tuneforge.Serve.Generation;
using Tuneforge.Text;

namespace Tuneforge.Serve.Api;

/// <summary>A validated <c>POST /v1/chat/completions</c> body (OpenAI's Chat Completions API, text only).</summary>
internal sealed record ChatCompletionRequest(string? Model, IReadOnlyList<ChatMessage> Messages, SamplingSettings Sampling, bool Stream, bool IncludeUsage)
{
    // Fields whose features this server does not have: refused rather than silently ignored.
    private static readonly string[] UnsupportedFeatures = ["tools", "functions", "audio", "prediction", "top_logprobs"];

    public static ChatCompletionRequest Parse(JsonElement body, SamplingDefaults defaults, RequestLimits limits)
    {
        var fields = new JsonFields(body);
        RefuseUnsupported(fields);
        var messages = ReadMessages(fields);
        var maxKey = fields.Has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        var maxTokens = SamplingFields.ReadMaxTokens(fields, maxKey, limits.DefaultMaxTokens, limits);
        var sampling = SamplingFields.Read(fields, maxTokens, defaults, limits);
        var stream = fields.Boolean("stream") ?? false;
        var includeUsage = false;
        if (fields.Has("stream_options"))
        {
            if (!stream) throw ApiError.Invalid("stream_options", "is only allowed with stream: true");
            includeUsage = fields.Object("stream_options").Boolean("include_usage") ?? false;
        }
        return new ChatCompletionRequest(fields.String("model"), messages, sampling, stream, includeUsage);
    }

    private static void RefuseUnsupported(JsonFields fields)
    {
        foreach (var key in UnsupportedFeatures.Where(fields.Has))
            throw ApiError.Unsupported(key, "is not supported by this server (text chat completions only)");
        if (fields.Integer("n") is int n && n != 1) throw ApiError.Unsupported("n", $"only 1 choice per request is supported, got {n}");
        if (fields.Boolean("logprobs") == true) throw ApiError.Unsupported("logprobs", "log probabilities are not returned by this server");
        foreach (var key in new[] { "presence_penalty", "frequency_penalty" })
        {
            if (fields.Number(key) is double value && value != 0)
                throw ApiError.Unsupported(key, "is not supported; use repetition_penalty (1 = off, 1.1 = mild) instead");
        }
        if (fields.Get("tool_choice") is { } choice && !(choice.ValueKind == JsonValueKind.String && choice.GetString() == "none"))
            throw ApiError.Unsupported("tool_choice", "tools are not supported by this server");
        if (fields.Get("logit_bias") is { ValueKind: JsonValueKind.Object } bias && bias.EnumerateObject().Any())
            throw ApiError.Unsupported("logit_bias", "is not supported by this server");
        if (fields.Has("response_format") && fields.Object("response_format").String("type") is { } type && type != "text")
            throw ApiError.Unsupported("response_format.type", $"'{type}' is not supported; only text responses");
    }

    private static IReadOnlyList<ChatMessage> ReadMessages(JsonFields fields)
    {
        var element = fields.Get("messages") ?? throw ApiError.Invalid("messages", "is required: an array of {role, content} objects");
        if (element.ValueKind != JsonValueKind.Array) throw ApiError.Invalid("messages", $"must be an array of {{role, content}} objects, found {JsonFields.Kind(element)}");
        var count = element.GetArrayLength();
        if (count == 0) throw ApiError.Invalid("messages", "must hold at least one message");
        if (count > RequestLimits.MaxMessages) throw ApiError.Invalid("messages", $"at most {RequestLimits.MaxMessages} messages, got {count}");
        var messages = new List<ChatMessage>(count);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            messages.Add(ReadMessage(item, $"messages[{index}]"));
            index++;
        }
        if (!messages.Any(m => m.Role == ChatRoles.User)) throw ApiError.Invalid("messages", "must hold at least one message with role 'user'");
        return messages;
    }

    private static ChatMessage ReadMessage(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object) throw ApiError.Invalid(path, $"must be an object with role and content, found {JsonFields.Kind(item)}");
        var fields = new JsonFields(item, path);
        var role = fields.RequiredString("role") switch
        {
            "system" or "developer" => ChatRoles.System,
            "user" => ChatRoles.User,
            "assistant" => ChatRoles.Assistant,
            "tool" or "function" => throw ApiError.Unsupported($"{path}.role", "tool messages are not supported by this server"),
            var other => throw ApiError.Invalid($"{path}.role", $"'{other}' is not a role; use system, user or assistant"),
        };
        if (fields.Has("tool_calls")) throw ApiError.Unsupported($"{path}.tool_calls", "tools are not supported by this server");
        return new ChatMessage(role, ReadContent(fields, path));
    }

    // Content is a string or an array of text parts ({"type": "text", "text": "..."}).
    private static string ReadContent(JsonFields fields, string path)
    {
        var content = fields.Get("content") ?? throw ApiError.Invalid($"{path}.content", "is required");
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array)
            throw ApiError.Invalid($"{path}.content", $"must be a string or an array of text parts, found {JsonFields.Kind(content)}");
        var text = new StringBuilder();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{index}]";
            if (part.ValueKind != JsonValueKind.Object) throw ApiError.Invalid(partPath, $"must be a content part object, found {JsonFields.Kind(part)}");
            var partFields = new JsonFields(part, partPath);
            var type = partFields.RequiredString("type");
            if (type != "text") throw ApiError.Unsupported($"{partPath}.type", $"'{type}' parts are not supported; only text");
            text.Append(partFields.RequiredString("text"));
            index++;
        }
        return text.ToString();
    }
}
