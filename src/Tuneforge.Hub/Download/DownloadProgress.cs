namespace Tuneforge.Hub.Download;

/// <summary>Progress of a snapshot download, reported after each chunk written.</summary>
/// <param name="File">The repository file being downloaded.</param>
/// <param name="FileBytes">Bytes of that file on disk so far (including a resumed part).</param>
/// <param name="FileSize">The size of that file.</param>
/// <param name="Bytes">Bytes of all files to download so far.</param>
/// <param name="TotalBytes">The size of all files to download (grows if the listing lacked a size).</param>
public sealed record DownloadProgress(string File, long FileBytes, long FileSize, long Bytes, long TotalBytes);
