using System.Text;

namespace Tuneforge.Files;

/// <summary>Writes a file so that readers see the old content or the new, never a half: the bytes go to a hidden
/// temporary file beside it (hidden, so folder walks such as packaging pass it over), which is then renamed into place.</summary>
public static class AtomicFile
{
    /// <summary>UTF-8 without a byte-order mark: what every text file of the project is.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes through <paramref name="write"/>; returns the file's length.</summary>
    public static long Write(string path, Action<Stream> write)
    {
        var target = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = TemporaryPath(target);
        try
        {
            long length;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                length = stream.Length;
            }
            File.Move(temporary, target, overwrite: true);
            return length;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8.GetBytes(text));

    /// <summary>Text written line by line with "\n" line ends, in UTF-8 without a byte-order mark.</summary>
    public static void WriteText(string path, Action<TextWriter> write) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, Utf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
        write(writer);
    });

    public static void WriteAllLines(string path, IEnumerable<string> lines) => WriteText(path, writer =>
    {
        foreach (var line in lines) writer.WriteLine(line);
    });

    /// <summary>A fresh hidden name in the same folder (a rename within one file system is atomic).</summary>
    public static string TemporaryPath(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
}
