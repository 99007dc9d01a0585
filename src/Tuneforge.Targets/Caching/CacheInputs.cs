namespace Tuneforge.Targets;

/// <summary>What a cached target's result depends on. The cache key is a SHA-256 over all of it.</summary>
public sealed class CacheInputs
{
    internal List<(string Kind, string Name, string Value)> Items { get; } = [];
    internal List<Target> UpstreamTargets { get; } = [];
    internal string? ViewPath { get; private set; }
    internal bool IsResumable { get; private set; }

    /// <summary>A file, hashed by content (a missing file fails the target with its path).</summary>
    public CacheInputs File(string path) => Add("file", path, "");

    public CacheInputs Files(IEnumerable<string> paths)
    {
        foreach (var path in paths) File(path);
        return this;
    }

    /// <summary>A folder, hashed by the relative path and content of every file in it.</summary>
    public CacheInputs Directory(string path) => Add("directory", path, "");

    /// <summary>A value, usually canonical JSON of the spec section the target reads.</summary>
    public CacheInputs Value(string name, string content) => Add("value", name, content);

    /// <summary>The key of an upstream cached target: when its result changes, this one reruns.</summary>
    public CacheInputs Upstream(params Target[] targets)
    {
        UpstreamTargets.AddRange(targets);
        return this;
    }

    /// <summary>A version of the code that computes the result; bump it when results would change.</summary>
    public CacheInputs Salt(string salt) => Add("salt", "salt", salt);

    /// <summary>Where the current entry is shown, e.g. artifacts/default/train (a link, or a copy where links fail).</summary>
    public CacheInputs Publish(string viewPath)
    {
        ViewPath = viewPath;
        return this;
    }

    /// <summary>Keep the working folder of an interrupted run so the next run can resume from its checkpoints.</summary>
    public CacheInputs Resumable()
    {
        IsResumable = true;
        return this;
    }

    CacheInputs Add(string kind, string name, string value)
    {
        Items.Add((kind, name, value));
        return this;
    }
}
