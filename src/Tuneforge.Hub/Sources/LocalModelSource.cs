namespace Tuneforge.Hub.Sources;

/// <summary>A Hugging Face model folder on disk (config.json, safetensors weights, tokenizer files).</summary>
/// <param name="Path">The folder as written; relative paths are relative to the current directory.</param>
public sealed record LocalModelSource(string Path) : ModelSource
{
    /// <summary>The absolute folder path.</summary>
    public string FullPath => System.IO.Path.GetFullPath(Path);

    /// <inheritdoc />
    public override string ToString() => Path;
}
