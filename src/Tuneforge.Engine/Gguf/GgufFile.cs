using System.Text;

namespace Tuneforge.Engine.Gguf;

/// <summary>
/// A GGUF file's header read back: version, metadata in file order, tensor infos and where the data starts.
/// Every count and offset is checked against the file before it is used, so a truncated file is an error, not a crash.
/// </summary>
public sealed class GgufFile
{
    private GgufFile(string path, uint version, IReadOnlyList<(string Key, GgufValue Value)> metadata, IReadOnlyList<GgufTensorInfo> tensors, long dataOffset, int alignment)
    {
        Path = path;
        Version = version;
        MetadataInOrder = metadata;
        Metadata = metadata.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        Tensors = tensors;
        DataOffset = dataOffset;
        Alignment = alignment;
    }

    public string Path { get; }
    public uint Version { get; }
    public IReadOnlyList<(string Key, GgufValue Value)> MetadataInOrder { get; }
    public IReadOnlyDictionary<string, GgufValue> Metadata { get; }
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }
    public long DataOffset { get; }
    public int Alignment { get; }

    public GgufTensorInfo Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new InvalidDataException($"{Path}: no tensor '{name}'");

    public static GgufFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (reader.ReadUInt32() != GgufWriter.Magic) throw Bad(path, "not a GGUF file (the magic is not 'GGUF')");
            var version = reader.ReadUInt32();
            if (version is < 2 or > 3) throw Bad(path, $"GGUF version {version} is not supported (2 or 3)");
            var tensorCount = Count(reader, path, "tensor count");
            var metadataCount = Count(reader, path, "metadata count");
            var metadata = new List<(string, GgufValue)>();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (ulong i = 0; i < metadataCount; i++)
            {
                var key = ReadString(reader, path);
                if (!keys.Add(key)) throw Bad(path, $"metadata key '{key}' appears twice");
                var type = (GgufValueType)reader.ReadUInt32();
                metadata.Add((key, ReadValue(reader, path, type, key)));
            }
            var alignment = ReadAlignment(path, metadata.FirstOrDefault(m => m.Item1 == "general.alignment").Item2);
            var tensors = new List<GgufTensorInfo>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (ulong i = 0; i < tensorCount; i++)
            {
                var name = ReadString(reader, path);
                if (!names.Add(name)) throw Bad(path, $"tensor '{name}' appears twice");
                var dimensions = reader.ReadUInt32();
                if (dimensions is 0 or > 4) throw Bad(path, $"tensor '{name}' has {dimensions} dimensions");
                var dims = new long[dimensions];
                for (var d = 0; d < dimensions; d++)
                {
                    var dim = reader.ReadUInt64();
                    if (dim > (ulong)stream.Length * 8) throw Bad(path, $"tensor '{name}': dimension {d} is {dim}, more values than the file could hold");
                    dims[d] = (long)dim;
                }
                var rawType = reader.ReadUInt32();
                if (!GgmlTypes.IsKnown(rawType)) throw Bad(path, $"tensor '{name}' has ggml type {rawType}, which this reader does not know");
                tensors.Add(new GgufTensorInfo(name, dims, (GgmlType)rawType, reader.ReadUInt64()));
            }
            var dataOffset = (stream.Position + alignment - 1) / alignment * alignment;
            foreach (var tensor in tensors)
            {
                if (tensor.Offset % (ulong)alignment != 0) throw Bad(path, $"tensor '{tensor.Name}' starts at {tensor.Offset}, not a multiple of the alignment {alignment}");
                var room = stream.Length - dataOffset;
                if (tensor.Offset > (ulong)Math.Max(0, room) || ByteCount(path, tensor) > room - (long)tensor.Offset)
                    throw Bad(path, $"tensor '{tensor.Name}' runs past the end of the file");
            }
            return new GgufFile(path, version, metadata, tensors, dataOffset, alignment);
        }
        catch (EndOfStreamException)
        {
            throw Bad(path, "the file ends inside its header");
        }
    }

    /// <summary>The raw bytes of one tensor (blocks as stored).</summary>
    public byte[] ReadBytes(GgufTensorInfo tensor) => ReadBytes(tensor, 0, tensor.ByteCount);

    /// <summary><paramref name="count"/> bytes of <paramref name="tensor"/>'s data from byte <paramref name="start"/> of it (whole rows of blocks, for a reader that decodes a part at a time).</summary>
    public byte[] ReadBytes(GgufTensorInfo tensor, long start, long count)
    {
        if (start < 0 || count < 0 || start + count > tensor.ByteCount) throw new ArgumentOutOfRangeException(nameof(count), $"bytes {start}..{start + count} are outside tensor '{tensor.Name}'");
        using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var bytes = new byte[count];
        var span = bytes.AsSpan();
        var offset = DataOffset + (long)tensor.Offset + start;
        while (!span.IsEmpty)
        {
            var read = RandomAccess.Read(handle, span, offset);
            if (read <= 0) throw Bad(Path, $"tensor '{tensor.Name}' is cut short");
            span = span[read..];
            offset += read;
        }
        return bytes;
    }

    // llama.cpp's rule: a power of two.
    private static int ReadAlignment(string path, GgufValue? value)
    {
        if (value is null) return GgufWriter.DefaultAlignment;
        var alignment = value.Value switch { uint u when u <= 1 << 20 => (int)u, int i => i, _ => 0 };
        if (alignment <= 0 || alignment > 1 << 20 || (alignment & (alignment - 1)) != 0)
            throw Bad(path, $"general.alignment is {value}; it must be a power of two (32 by default)");
        return alignment;
    }

    private static long ByteCount(string path, GgufTensorInfo tensor)
    {
        try
        {
            return tensor.ByteCount;
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw Bad(path, $"tensor '{tensor.Name}' of shape [{string.Join(", ", tensor.Dims)}] as {tensor.Type}: {e.Message}");
        }
    }

    private static ulong Count(BinaryReader reader, string path, string what)
    {
        var count = reader.ReadUInt64();
        if (count > 1_000_000) throw Bad(path, $"{what} {count} is implausible");
        return count;
    }

    private static string ReadString(BinaryReader reader, string path)
    {
        var length = reader.ReadUInt64();
        if (length > (ulong)(reader.BaseStream.Length - reader.BaseStream.Position)) throw Bad(path, $"a string of {length} bytes runs past the end of the file");
        return Encoding.UTF8.GetString(reader.ReadBytes((int)length));
    }

    private static GgufValue ReadValue(BinaryReader reader, string path, GgufValueType type, string key)
    {
        if (type != GgufValueType.Array) return new GgufValue(type, ReadScalar(reader, path, type, key));
        var elementType = (GgufValueType)reader.ReadUInt32();
        var count = reader.ReadUInt64();
        // Checked against the bytes left before anything is allocated: each item takes at least its size in the file.
        var itemBytes = elementType switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1UL,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2UL,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4UL,
            GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8UL,
            GgufValueType.Array => throw Bad(path, $"{key}: arrays of arrays are not supported"),
            _ => throw Bad(path, $"{key}: unknown array item type {(uint)elementType}"),
        };
        if (count > (ulong)(reader.BaseStream.Length - reader.BaseStream.Position) / itemBytes)
            throw Bad(path, $"{key}: an array of {count} items runs past the end of the file");
        Array array = elementType switch
        {
            GgufValueType.String => new string[count],
            GgufValueType.Int32 => new int[count],
            GgufValueType.UInt32 => new uint[count],
            GgufValueType.Float32 => new float[count],
            GgufValueType.Int64 => new long[count],
            GgufValueType.UInt8 => new byte[count],
            GgufValueType.Bool => new bool[count],
            _ => new object[count],
        };
        for (ulong i = 0; i < count; i++) array.SetValue(ReadScalar(reader, path, elementType, key), (long)i);
        return new GgufValue(GgufValueType.Array, array, elementType);
    }

    private static object ReadScalar(BinaryReader reader, string path, GgufValueType type, string key) => type switch
    {
        GgufValueType.UInt8 => reader.ReadByte(),
        GgufValueType.Int8 => reader.ReadSByte(),
        GgufValueType.UInt16 => reader.ReadUInt16(),
        GgufValueType.Int16 => reader.ReadInt16(),
        GgufValueType.UInt32 => reader.ReadUInt32(),
        GgufValueType.Int32 => reader.ReadInt32(),
        GgufValueType.Float32 => reader.ReadSingle(),
        GgufValueType.Bool => reader.ReadByte() != 0,
        GgufValueType.String => ReadString(reader, path),
        GgufValueType.UInt64 => reader.ReadUInt64(),
        GgufValueType.Int64 => reader.ReadInt64(),
        GgufValueType.Float64 => reader.ReadDouble(),
        _ => throw Bad(path, $"{key}: unknown value type {(uint)type}"),
    };

    private static InvalidDataException Bad(string path, string problem) => new($"{path}: {problem}");
}
