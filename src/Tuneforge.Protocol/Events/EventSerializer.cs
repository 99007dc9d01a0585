using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tuneforge.Protocol;

/// <summary>Reads and writes <see cref="EngineEvent"/> lines: snake_case keys, nulls left out, UTF-8 text unescaped.</summary>
public static class EventSerializer
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        // Another engine speaking the protocol may not write "event" first.
        AllowOutOfOrderMetadataProperties = true,
    };

    public static string Serialize(EngineEvent engineEvent) => JsonSerializer.Serialize(engineEvent, Options);

    /// <summary>The event on one line, or null for a line that is not an event (e.g. stray native output).</summary>
    public static EngineEvent? TryParse(string line)
    {
        if (!line.StartsWith('{')) return null;
        try
        {
            return JsonSerializer.Deserialize<EngineEvent>(line, Options);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;   // no or unknown "event" discriminator
        }
    }
}
