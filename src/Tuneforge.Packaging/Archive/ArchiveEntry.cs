namespace Tuneforge.Packaging.Archive;

/// <summary>One file of a release archive: its path inside the archive ('/'-separated, relative) and where its bytes come from.</summary>
public sealed record ArchiveEntry
{
    private ArchiveEntry(string path, string? sourceFile, byte[]? content)
    {
        if (string.IsNullOrEmpty(path) || path.StartsWith('/') || path.Contains('\\') || path.Split('/').Any(p => p is "" or "." or ".."))
            throw new ArgumentException($"'{path}' is not a relative archive path ('/'-separated, no '.' or '..' parts)");
        Path = path;
        SourceFile = sourceFile;
        Content = content;
    }

    public string Path { get; }
    public string? SourceFile { get; }
    public byte[]? Content { get; }

    public static ArchiveEntry FromFile(string path, string sourceFile) => new(path, sourceFile, null);
    public static ArchiveEntry FromBytes(string path, byte[] content) => new(path, null, content);
    public static ArchiveEntry FromText(string path, string text) => new(path, null, new System.Text.UTF8Encoding(false).GetBytes(text));

    public long Length => Content?.LongLength ?? new FileInfo(SourceFile!).Length;

    public Stream Open() => Content is not null ? new MemoryStream(Content, writable: false) : File.OpenRead(SourceFile!);

    /// <summary>Binary payloads that deflate barely shrinks are stored as they are (faster, same bytes every time).</summary>
    public bool IsStored => System.IO.Path.GetExtension(Path) is ".gguf" or ".safetensors" or ".png" or ".bin" or ".zip";
}
