namespace Tuneforge.Hub.Folders;

/// <summary>A model folder that cannot be used as it is; the message names the folder or file and what to do.</summary>
public sealed class ModelFolderException(string folder, string message) : IOException(message)
{
    /// <summary>The folder (or file) concerned.</summary>
    public string Folder { get; } = folder;
}
