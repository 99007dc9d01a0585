using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;

namespace Tuneforge.Teacher;

/// <summary>
/// Answers on disk, one file per (teacher identity, request) written atomically: a killed run continues where it stopped
/// and a finished request is never asked again.
/// </summary>
public sealed class TeacherAnswerCache(string directory)
{
    public string Directory => directory;

    /// <summary>SHA-256 of the teacher's identity and the request (messages and sample index) as canonical JSON.</summary>
    public static string KeyOf(string identity, TeacherRequest request)
    {
        var json = new JsonObject
        {
            ["teacher"] = JsonNode.Parse(identity),
            ["sample"] = request.Sample,
            ["messages"] = new JsonArray(request.Messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson.Compact(json))));
    }

    public TeacherReply? TryGet(string key)
    {
        string path = PathOf(key);
        return File.Exists(path) ? JsonSerializer.Deserialize<TeacherReply>(File.ReadAllText(path)) : null;
    }

    public void Put(string key, TeacherReply reply)
    {
        string path = PathOf(key);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(reply));
    }

    private string PathOf(string key) => Path.Combine(directory, key[..2], key + ".json");
}
