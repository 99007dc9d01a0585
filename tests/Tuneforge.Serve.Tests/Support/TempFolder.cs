namespace Tuneforge.Serve.Tests.Support;

/// <summary>A folder under the system temp directory, removed with everything in it.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tuneforge-serve-{Guid.NewGuid():N}");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process started by a test may still hold a file for a moment; the temp folder is cleaned by the system.
        }
    }
}
