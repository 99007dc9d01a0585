using System.Security.Cryptography;
using System.Text;

namespace Tuneforge.Serve.Security;

/// <summary>
/// The Bearer keys a server accepts. Keys are kept as SHA-256 digests and a presented key is compared with every one
/// of them in constant time, so neither the comparison nor the number of keys checked tells an attacker anything.
/// </summary>
public sealed class ApiKeySet
{
    public const int MinimumLength = 8;
    private readonly byte[][] _digests;

    private ApiKeySet(byte[][] digests) => _digests = digests;

    public int Count => _digests.Length;

    /// <summary>Keys given directly (tests, the build).</summary>
    public static ApiKeySet FromKeys(IEnumerable<string> keys, string source = "keys")
    {
        var list = keys.Select(k => k.Trim()).Where(k => k.Length > 0 && !k.StartsWith('#')).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) throw new ArgumentException($"{source}: no API keys found");
        var shortKey = list.FirstOrDefault(k => k.Length < MinimumLength);
        if (shortKey is not null) throw new ArgumentException($"{source}: an API key is shorter than {MinimumLength} characters; use long random keys (e.g. `openssl rand -hex 32`)");
        return new ApiKeySet(list.Select(Digest).ToArray());
    }

    /// <summary>Keys from an environment variable (comma- or newline-separated) and/or a file (one per line, # comments);
    /// null when neither is named. A named source that is unset or empty is an error: the server must not run open by mistake.</summary>
    public static ApiKeySet? FromSources(string? environmentVariable, string? file)
    {
        var keys = new List<string>();
        if (environmentVariable is not null)
        {
            var value = Environment.GetEnvironmentVariable(environmentVariable);
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"api-keys-env: the environment variable {environmentVariable} is not set or empty; set it to one or more keys (comma-separated) or leave out --api-keys-env");
            keys.AddRange(value.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        }
        if (file is not null)
        {
            if (!File.Exists(file)) throw new ArgumentException($"api-keys-file: {Path.GetFullPath(file)} not found");
            keys.AddRange(File.ReadAllLines(file));
        }
        if (environmentVariable is null && file is null) return null;
        return FromKeys(keys, environmentVariable is not null ? $"api-keys-env {environmentVariable}" : $"api-keys-file {file}");
    }

    /// <summary>Whether <paramref name="presented"/> is one of the keys; takes the same time whichever key matches, or none.</summary>
    public bool Accepts(string presented)
    {
        var digest = Digest(presented);
        var match = false;
        foreach (var known in _digests) match |= CryptographicOperations.FixedTimeEquals(digest, known);
        return match;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
