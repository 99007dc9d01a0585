using System.Text.Json;
using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.Api;

/// <summary>
/// The guide's <c>POST /generate</c> body: <c>{query, max_length = 512, temperature = 0.7, top_p = 0.9}</c>
/// (max_length counts new tokens, as the guide's max_new_tokens), plus optional seed, stop, top_k, repetition_penalty.
/// </summary>
internal sealed record GenerateRequest(string Query, SamplingSettings Sampling)
{
    public const int DefaultMaxLength = 512;
    public static readonly SamplingDefaults GuideDefaults = new(Temperature: 0.7, TopP: 0.9);

    public static GenerateRequest Parse(JsonElement body, RequestLimits limits)
    {
        var fields = new JsonFields(body);
        var query = fields.RequiredString("query");
        if (string.IsNullOrWhiteSpace(query)) throw ApiError.Invalid("query", "must not be empty");
        var maxLength = SamplingFields.ReadMaxTokens(fields, "max_length", Math.Min(DefaultMaxLength, limits.MaxTokens), limits);
        return new GenerateRequest(query, SamplingFields.Read(fields, maxLength, GuideDefaults, limits));
    }
}
