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
        IReadOnlyList<DataFile> matched;
        try
        {
            matched = DataSources.Match(source.Path, key, root);
        }
        catch (DataException e)
        {
            throw new DataException($"{e.Message} Install the package that ships it (see eng/pretrain/) or fix the path.", e);
        }
        var files = matched.Select(f => f.FullPath).Where(f => new FileInfo(f).LinkTarget is null).ToList();
        if (files.Count == 0)
            throw new DataException($"{key}: '{source.Path}' names only symbolic links; name the files they point to.");
        return (BaseOf(source.Path, root), files);
    }

    // Document ids are relative to the folder before the first wildcard (a single file: its folder).
    static string BaseOf(string path, string root)
    {
        var normalized = path.Replace('\\', '/');
        var wildcard = normalized.IndexOfAny(['*', '?', '[', '{']);
        var cut = normalized.LastIndexOf('/', wildcard < 0 ? normalized.Length - 1 : wildcard);
        return Path.GetFullPath(cut < 0 ? "." : normalized[..(cut + 1)], root);
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
