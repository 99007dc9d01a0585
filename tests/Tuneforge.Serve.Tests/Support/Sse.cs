using System.Text.Json.Nodes;

namespace Tuneforge.Serve.Tests.Support;

/// <summary>Reads a server-sent-events body into its data payloads (the JSON ones parsed, [DONE] kept as text).</summary>
internal static class Sse
{
    public static async Task<(List<JsonObject> Events, bool Done)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<JsonObject>();
        var done = false;
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block);
            var data = block["data: ".Length..];
            if (data == "[DONE]") done = true;
            else events.Add(JsonNode.Parse(data)!.AsObject());
        }
        return (events, done);
    }

    /// <summary>The concatenated <c>delta.field</c> of every chunk.</summary>
    public static string Join(IEnumerable<JsonObject> events, string field) =>
        string.Concat(events.Select(e => e["choices"]?.AsArray().FirstOrDefault()?["delta"]?[field]?.GetValue<string>() ?? ""));
}
