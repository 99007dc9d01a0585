using System.Text;
using System.Text.RegularExpressions;
using Tuneforge.Packaging.Archive;

namespace Tuneforge.Packaging.Secrets;

/// <summary>
/// Refuses a release that would leak: a Hugging Face token (the value of HF_TOKEN / HUGGING_FACE_HUB_TOKEN, or
/// anything shaped like <c>hf_…</c>), or an absolute path of the machine that built it (the repository root,
/// the home folder), in any text file of the archive.
/// </summary>
public static partial class SecretScanner
{
    public static readonly IReadOnlyList<string> TokenVariables = ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"];

    /// <summary>Throws <see cref="InvalidDataException"/> naming the file and what it holds.</summary>
    public static void Check(IEnumerable<ArchiveEntry> entries, IReadOnlyList<string> forbiddenPaths)
    {
        var secrets = TokenVariables.Select(Environment.GetEnvironmentVariable).Where(v => v is { Length: >= 8 }).Cast<string>().ToList();
        var paths = forbiddenPaths.Where(p => p.Length > 1).Select(p => p.TrimEnd('/', '\\')).Distinct().ToList();
        foreach (var entry in entries.Where(e => !e.IsStored))
        {
            string text;
            using (var stream = entry.Open())
            using (var reader = new StreamReader(stream, Encoding.UTF8)) text = reader.ReadToEnd();
            foreach (var secret in secrets)
            {
                if (text.Contains(secret, StringComparison.Ordinal))
                    throw new InvalidDataException($"{entry.Path} contains the value of a Hugging Face token variable ({string.Join("/", TokenVariables)}); the archive was not written.");
            }
            if (HubToken().Match(text) is { Success: true } token)
                throw new InvalidDataException($"{entry.Path} contains something shaped like a Hugging Face token ('{token.Value[..6]}…'); remove it from the stage's outputs. The archive was not written.");
            foreach (var path in paths)
            {
                if (text.Contains(path, StringComparison.Ordinal))
                    throw new InvalidDataException($"{entry.Path} contains the absolute path '{path}' of this machine; release files must use relative paths. The archive was not written.");
            }
        }
    }

    [GeneratedRegex(@"\bhf_[A-Za-z0-9]{30,}\b")]
    private static partial Regex HubToken();
}
