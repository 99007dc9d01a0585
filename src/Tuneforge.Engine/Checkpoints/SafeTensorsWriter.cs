using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Tuneforge.Files;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>
/// Writes a .safetensors file deterministically: tensors sorted by name, <c>__metadata__</c> first, header padded with
/// spaces to 8 bytes, written to a temporary file and renamed so a reader never sees half a file.
/// </summary>
public static class SafeTensorsWriter
{
    public static readonly IReadOnlyDictionary<string, string> PyTorchMetadata = new Dictionary<string, string> { ["format"] = "pt" };

    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var sorted = Sorted(tensors, t => t.Key);
        var layout = sorted.Select(t => new Layout(t.Key, SafeTensorsDType.NameOf(t.Value.dtype), t.Value.shape, t.Value.NumberOfElements * t.Value.ElementSize)).ToList();
        WriteFile(path, layout, metadata, (i, stream) =>
        {
            using var scope = NewDisposeScope();
            var cpuTensor = sorted[i].Value.detach().cpu().contiguous();
            if (cpuTensor.NumberOfElements > 0) stream.Write(cpuTensor.bytes);
        });
    }

    /// <summary>Writes plain arrays, without torch (the PyTorch worker's batch files).</summary>
    public static void Write(string path, IEnumerable<SafeTensorsArray> arrays, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var sorted = Sorted(arrays, a => a.Name);
        var layout = sorted.Select(a => new Layout(a.Name, a.DType, a.Shape, a.Data.Length)).ToList();
        WriteFile(path, layout, metadata, (i, stream) => stream.Write(sorted[i].Data.Span));
    }

    internal sealed record Layout(string Name, string DType, long[] Shape, long Bytes);

    internal static List<T> Sorted<T>(IEnumerable<T> items, Func<T, string> name)
    {
        var sorted = items.OrderBy(name, StringComparer.Ordinal).ToList();
        for (var i = 1; i < sorted.Count; i++)
            if (name(sorted[i]) == name(sorted[i - 1])) throw new ArgumentException($"tensor '{name(sorted[i])}' is given twice");
        return sorted;
    }

    private static void WriteFile(string path, List<Layout> layout, IReadOnlyDictionary<string, string>? metadata, Action<int, Stream> writeData)
    {
        var (header, _) = BuildHeader(layout, metadata ?? PyTorchMetadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            for (var i = 0; i < layout.Count; i++) writeData(i, stream);
        });
    }

    /// <summary>The header (length prefix excluded) and each tensor's offset from the start of the data, in <paramref name="tensors"/>' order.</summary>
    internal static (byte[] Header, long[] Offsets) BuildHeader(IReadOnlyList<Layout> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var offsets = new long[tensors.Count];
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal)) json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            for (var i = 0; i < tensors.Count; i++)
            {
                var tensor = tensors[i];
                offsets[i] = offset;
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + tensor.Bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += tensor.Bytes;
            }
            json.WriteEndObject();
        }
        var padding = (8 - buffer.Length % 8) % 8;
        for (var i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return (buffer.ToArray(), offsets);
    }
}

/// <summary>A little-endian array to store in a safetensors file, with its safetensors dtype name and shape.</summary>
public sealed record SafeTensorsArray(string Name, string DType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    public static SafeTensorsArray Int32(string name, int[] values, params long[] shape) =>
        new(name, "I32", shape.Length == 0 ? [values.Length] : shape, Bytes(values));

    public static SafeTensorsArray Int64(string name, long[] values, params long[] shape) =>
        new(name, "I64", shape.Length == 0 ? [values.Length] : shape, Bytes(values));

    private static byte[] Bytes<T>(T[] values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors files are little-endian");
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }
}
