using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>
/// The validated header of a .safetensors file: 8-byte little-endian length, JSON, then the data section.
/// Everything is checked before a tensor byte is read: the length against the file and a cap, the JSON, each dtype,
/// each shape against its byte range, and that the ranges tile the data section exactly (no gap, no overlap).
/// </summary>
public sealed class SafeTensorsHeader
{
    /// <summary>Larger headers are refused: real ones are well under 10 MB even for 1000s of tensors.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private SafeTensorsHeader(string path, long dataOffset, long dataLength,
        IReadOnlyDictionary<string, SafeTensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        DataOffset = dataOffset;
        DataLength = dataLength;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }
    /// <summary>File offset of the data section (8 + header length).</summary>
    public long DataOffset { get; }
    public long DataLength { get; }
    public IReadOnlyDictionary<string, SafeTensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafeTensorsHeader Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: file not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var fileLength = stream.Length;
        if (fileLength < 8) throw Bad(path, $"the file has {fileLength} bytes; a safetensors file starts with an 8-byte header length");

        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
            throw Bad(path, $"the header length {headerLength} runs past the end of the file ({fileLength} bytes)");
        if (headerLength > MaxHeaderBytes)
            throw Bad(path, $"the header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        if (headerLength < 2) throw Bad(path, $"the header length {headerLength} is too small for a JSON object");

        var headerBytes = new byte[(int)headerLength];
        stream.ReadExactly(headerBytes);
        var dataOffset = 8 + (long)headerLength;
        var (entries, metadata) = Parse(path, headerBytes, fileLength - dataOffset);
        return new SafeTensorsHeader(path, dataOffset, fileLength - dataOffset, entries, metadata);
    }

    private static (Dictionary<string, SafeTensorsEntry>, Dictionary<string, string>) Parse(string path, byte[] header, long dataLength)
    {
        // The JSON reader checks UTF-8 only inside the strings it is asked for, and then throws outside its own errors.
        if (!System.Text.Unicode.Utf8.IsValid(header)) throw Bad(path, "the header is not UTF-8 text");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Bad(path, $"the header is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "the header is not a JSON object");
            var entries = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }
                if (entries.ContainsKey(property.Name)) throw Bad(path, $"tensor '{property.Name}' appears twice in the header");
                entries[property.Name] = ReadEntry(path, property.Name, property.Value, dataLength);
            }
            CheckTiling(path, entries.Values, dataLength);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, "__metadata__ must be an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String) throw Bad(path, $"__metadata__.{item.Name} must be a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafeTensorsEntry ReadEntry(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"tensor '{name}': expected an object with dtype, shape, data_offsets");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Bad(path, $"tensor '{name}': missing dtype");
        var dtypeName = dtypeElement.GetString()!;
        if (!SafeTensorsDType.TryParse(dtypeName, out var dtype, out var elementSize))
            throw Bad(path, $"tensor '{name}': unknown dtype '{dtypeName}' (supported: {SafeTensorsDType.SupportedNames})");

        var shape = ReadIntegers(path, name, value, "shape");
        var offsets = ReadIntegers(path, name, value, "data_offsets");
        if (offsets.Length != 2) throw Bad(path, $"tensor '{name}': data_offsets must be [begin, end]");
        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end || end > dataLength)
            throw Bad(path, $"tensor '{name}': data_offsets [{begin}, {end}] are out of range of the {dataLength}-byte data section");

        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (product, dim) => product * dim) * elementSize);
        }
        catch (OverflowException)
        {
            throw Bad(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] is too large");
        }
        if (expected != end - begin)
            throw Bad(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtypeName} needs {expected} bytes but data_offsets give {end - begin}");
        return new SafeTensorsEntry(name, dtypeName, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(string path, string name, JsonElement value, string key)
    {
        if (!value.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Bad(path, $"tensor '{name}': missing {key}");
        if (array.GetArrayLength() > 64) throw Bad(path, $"tensor '{name}': {key} has {array.GetArrayLength()} items");
        return array.EnumerateArray().Select(item =>
            item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var number) && number >= 0
                ? number
                : throw Bad(path, $"tensor '{name}': {key} must hold non-negative integers, found {item.GetRawText()}")).ToArray();
    }

    // The data section must be covered exactly once: sorted by begin, each range starts where the previous ended.
    private static void CheckTiling(string path, IEnumerable<SafeTensorsEntry> entries, long dataLength)
    {
        long position = 0;
        SafeTensorsEntry? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < position)
                throw Bad(path, $"tensors '{previous!.Name}' and '{entry.Name}' overlap (bytes {entry.Begin}..{position})");
            if (entry.Begin > position)
                throw Bad(path, $"bytes {position}..{entry.Begin} of the data section belong to no tensor (before '{entry.Name}')");
            position = entry.End;
            previous = entry;
        }
        if (position != dataLength)
            throw Bad(path, $"bytes {position}..{dataLength} of the data section belong to no tensor");
    }

    private static CheckpointException Bad(string path, string problem) =>
        new($"{path}: {problem}", "The file is truncated, corrupt or not a safetensors file; download or export it again.");

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
