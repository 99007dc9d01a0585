namespace Tuneforge.Targets;

/// <summary>An absolute, normalized path with NUKE's <c>/</c> operator: <c>RootDirectory / "artifacts" / name</c>.</summary>
public sealed record AbsolutePath
{
    public AbsolutePath(string path)
    {
        if (!Path.IsPathRooted(path)) throw new ArgumentException($"'{path}' is not an absolute path.", nameof(path));
        Value = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }

    public string Value { get; }
    public string Name => Path.GetFileName(Value);
    public AbsolutePath Parent => new(Path.GetDirectoryName(Value) ?? Value);
    public bool FileExists() => File.Exists(Value);
    public bool DirectoryExists() => Directory.Exists(Value);

    public static AbsolutePath operator /(AbsolutePath left, string right) => new(Path.Combine(left.Value, right));
    public static implicit operator string(AbsolutePath path) => path.Value;

    public string RelativeTo(AbsolutePath root) => Path.GetRelativePath(root.Value, Value).Replace('\\', '/');

    public AbsolutePath CreateDirectory()
    {
        Directory.CreateDirectory(Value);
        return this;
    }

    public override string ToString() => Value;
}
