using System.Text;
using Tuneforge.Files;

namespace Tuneforge.Engine.Gguf;

/// <summary>
/// Writes a GGUF v3 file: magic, version, counts, metadata, tensor infos, then the tensor data, each tensor's start
/// aligned to <c>general.alignment</c> (32). Tensor bytes are produced one at a time while writing, so a model never
/// has to be held twice in memory. Written to a temporary file and renamed: a reader never sees half a file.
/// </summary>
public sealed class GgufWriter
{
    public const uint Magic = 0x46554747;   // "GGUF" read as a little-endian uint32
    public const uint Version = 3;
    public const int DefaultAlignment = 32;

    private readonly List<(string Key, GgufValue Value)> _metadata = [];
    private readonly List<(string Name, long[] Dims, GgmlType Type, Func<IEnumerable<byte[]>> Data)> _tensors = [];

    public int Alignment { get; init; } = DefaultAlignment;

    public IReadOnlyList<(string Key, GgufValue Value)> Metadata => _metadata;

    public GgufWriter Set(string key, GgufValue value)
    {
        if (_metadata.Any(m => m.Key == key)) throw new ArgumentException($"GGUF key '{key}' is set twice");
        _metadata.Add((key, value));
        return this;
    }

    /// <summary>Adds a tensor; <paramref name="data"/> is called once, while the file is written, and must return exactly its bytes.</summary>
    public GgufWriter AddTensor(string name, long[] dims, GgmlType type, Func<byte[]> data) => AddTensorParts(name, dims, type, () => [data()]);

    /// <summary>
    /// Adds a tensor written in parts: <paramref name="parts"/> is enumerated once, while the file is written, and its
    /// parts in order must be exactly the tensor's bytes (so a large tensor is never held encoded whole).
    /// </summary>
    public GgufWriter AddTensorParts(string name, long[] dims, GgmlType type, Func<IEnumerable<byte[]>> parts)
    {
        if (_tensors.Any(t => t.Name == name)) throw new ArgumentException($"GGUF tensor '{name}' is added twice");
        if (dims.Length is 0 or > 4) throw new ArgumentException($"GGUF tensor '{name}' has {dims.Length} dimensions; ggml allows 1 to 4");
        _ = GgmlTypes.ByteCount(type, dims);   // rejects rows that are not whole blocks
        _tensors.Add((name, dims, type, parts));
        return this;
    }

    /// <summary>Writes the file; returns its size in bytes.</summary>
    public long Write(string path, Action<int, int>? onTensor = null)
    {
        return AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            WriteHeader(writer);
            Pad(writer);
            for (var i = 0; i < _tensors.Count; i++)
            {
                var (name, dims, type, parts) = _tensors[i];
                var expected = GgmlTypes.ByteCount(type, dims);
                long produced = 0;
                foreach (var part in parts())
                {
                    produced += part.LongLength;
                    if (produced > expected) break;
                    writer.Write(part);
                }
                if (produced != expected)
                    throw new InvalidOperationException($"GGUF tensor '{name}': {produced} bytes produced, {expected} expected for {type} [{string.Join(", ", dims)}]");
                if (i < _tensors.Count - 1) Pad(writer);
                onTensor?.Invoke(i + 1, _tensors.Count);
            }
        });
    }

    private void WriteHeader(BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ulong)_tensors.Count);
        var metadata = _metadata.ToList();
        if (Alignment != DefaultAlignment && metadata.All(m => m.Key != "general.alignment"))
            metadata.Add(("general.alignment", GgufValue.UInt32((uint)Alignment)));
        writer.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)value.Type);
            WriteValue(writer, value);
        }
        ulong offset = 0;
        foreach (var (name, dims, type, _) in _tensors)
        {
            WriteString(writer, name);
            writer.Write((uint)dims.Length);
            foreach (var dim in dims) writer.Write((ulong)dim);
            writer.Write((uint)type);
            writer.Write(offset);
            offset += (ulong)Align(GgmlTypes.ByteCount(type, dims));
        }
    }

    private long Align(long length) => (length + Alignment - 1) / Alignment * Alignment;

    private void Pad(BinaryWriter writer)
    {
        var position = writer.BaseStream.Position;
        var padding = Align(position) - position;
        for (var i = 0; i < padding; i++) writer.Write((byte)0);
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteValue(BinaryWriter writer, GgufValue value)
    {
        if (value.Type == GgufValueType.Array)
        {
            var array = (Array)value.Value;
            writer.Write((uint)value.ElementType);
            writer.Write((ulong)array.Length);
            foreach (var item in array) WriteScalar(writer, value.ElementType, item!);
            return;
        }
        WriteScalar(writer, value.Type, value.Value);
    }

    private static void WriteScalar(BinaryWriter writer, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.UInt8: writer.Write(Convert.ToByte(value)); break;
            case GgufValueType.Int8: writer.Write(Convert.ToSByte(value)); break;
            case GgufValueType.UInt16: writer.Write(Convert.ToUInt16(value)); break;
            case GgufValueType.Int16: writer.Write(Convert.ToInt16(value)); break;
            case GgufValueType.UInt32: writer.Write(Convert.ToUInt32(value)); break;
            case GgufValueType.Int32: writer.Write(Convert.ToInt32(value)); break;
            case GgufValueType.Float32: writer.Write(Convert.ToSingle(value)); break;
            case GgufValueType.Bool: writer.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(writer, (string)value); break;
            case GgufValueType.UInt64: writer.Write(Convert.ToUInt64(value)); break;
            case GgufValueType.Int64: writer.Write(Convert.ToInt64(value)); break;
            case GgufValueType.Float64: writer.Write(Convert.ToDouble(value)); break;
            default: throw new ArgumentException($"GGUF value type {type} cannot be nested here");
        }
    }
}
