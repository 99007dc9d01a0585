using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Protocol;

/// <summary>A stage's typed result travels as the data of its <see cref="ResultEvent"/>: the engine writes it with
/// <see cref="ToEvent{T}"/>, the build reads it back with <see cref="Read{T}"/>, both with the protocol's JSON names.</summary>
public static class StageResult
{
    public static ResultEvent ToEvent<T>(string verb, T result) =>
        new(verb, JsonSerializer.SerializeToNode(result, EventSerializer.Options) as JsonObject ?? throw new ArgumentException("a result is a JSON object", nameof(result)));

    public static T Read<T>(ResultEvent? result, string verb)
    {
        if (result is null) throw new StageFileException($"The engine's {verb} finished without a result event.", "Check the engine's output above; this is a bug in the engine if it exited 0.");
        try
        {
            return result.Data.Deserialize<T>(EventSerializer.Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new StageFileException($"The engine's {verb} result is not what this build reads ({e.Message}).", "Build the build and the engine from the same checkout (./build.sh builds both).");
        }
    }
}
