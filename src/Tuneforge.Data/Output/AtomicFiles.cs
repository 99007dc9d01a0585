namespace Tuneforge.Data.Output;

/// <summary>Output files written under temporary names and renamed into place together by <see cref="Commit"/>;
/// disposed without a commit, they are deleted. A stage that fails leaves its folder as it was.</summary>
internal sealed class AtomicFiles(string directory) : IDisposable
{
    readonly List<string> names = [];
    readonly string suffix = $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
    bool committed;

    public Stream Create(string name)
    {
        if (!names.Contains(name)) names.Add(name);
        return new FileStream(Temporary(name), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20);
    }

    /// <summary>A whole file of UTF-8 text (no byte order mark).</summary>
    public void WriteText(string name, string text)
    {
        using var stream = Create(name);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Gives a file written so far another name (both temporary until the commit).</summary>
    public void Rename(string name, string newName)
    {
        File.Move(Temporary(name), Temporary(newName), overwrite: true);
        names.Remove(name);
        if (!names.Contains(newName)) names.Add(newName);
    }

    /// <summary>The temporary path of a file, to read back what was written.</summary>
    public string PathOf(string name) => Temporary(name);

    /// <summary>A temporary file that is not an output.</summary>
    public void Discard(string name)
    {
        names.Remove(name);
        File.Delete(Temporary(name));
    }

    public void Commit()
    {
        foreach (var name in names) File.Move(Temporary(name), Path.Combine(directory, name), overwrite: true);
        committed = true;
    }

    public void Dispose()
    {
        if (committed) return;
        foreach (var name in names)
        {
            try { File.Delete(Temporary(name)); }
            catch (IOException) { } // best effort: a leftover .tmp file is harmless
        }
    }

    string Temporary(string name) => Path.Combine(directory, name + suffix);
}
