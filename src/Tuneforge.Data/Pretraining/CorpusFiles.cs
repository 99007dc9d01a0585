using System.IO.Compression;
using System.Text;
using Tuneforge.Data.Reading;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Pretraining;

/// <summary>The files of a corpus source (a path or a glob; symbolic links skipped, so a page linked under two names
/// is read once) and their text (.gz decompressed, UTF-8 checked).</summary>
public static class CorpusFiles
{
    public static (string BaseDirectory, IReadOnlyList<string> Files) Resolve(CorpusSourceSpec source, int index, string root)
    {
        var key = $"pretrain.sources[{index}].path";
        if (string.IsNullOrWhiteSpace(source.Path)) throw new DataException($"{key} is empty: give a file or a glob such as /usr/share/games/fortunes/*.");
        if (!FileGlob.IsPattern(source.Path))
        {
            var full = Path.GetFullPath(source.Path, root);
            if (!File.Exists(full))
                throw new DataException($"{key}: '{source.Path}' does not exist (looked for {full}). Install the package that ships it (see eng/pretrain/) or fix the path.");
            return (Path.GetDirectoryName(full)!, [full]);
        }
        var (baseDirectory, matches) = FileGlob.Expand(source.Path, root);
        var files = matches?.Where(f => new FileInfo(f).LinkTarget is null).ToList();
        if (files is null || files.Count == 0)
            throw new DataException($"{key}: the pattern '{source.Path}' matches no file (looked under {baseDirectory}). Install the package that ships it (see eng/pretrain/) or fix the pattern.");
        return (baseDirectory, files);
    }

    public static string ReadText(string path)
    {
        byte[] bytes;
        try
        {
            using var file = File.OpenRead(path);
            using var stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            bytes = memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{path}: not a valid gzip file ({e.Message}). Reinstall the package that ships it.");
        }
        var start = bytes.AsSpan().StartsWith(Utf8Text.Bom) ? Utf8Text.Bom.Length : 0;
        var invalid = Utf8Text.FindInvalid(bytes.AsSpan(start));
        if (invalid >= 0) throw new DataException($"{path}: {Utf8Text.InvalidMessage(bytes.AsSpan(start), invalid)}");
        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }
}
