using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Tuneforge.Files;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>
/// One safetensors file whose header is written first and whose tensors are written later, each at its offset, in any
/// order. It lives under a hidden temporary name until <see cref="Commit"/> renames it, once every tensor is in.
/// </summary>
internal sealed class StreamedSafeTensorsFile : IDisposable
{
    // Tensors larger than this are copied out in row blocks (a span holds at most 2 GiB).
    private const long BlockBytes = 256L << 20;

    private readonly string _temporary;
    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, (TensorLayout Layout, long Offset)> _slots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private bool _committed;

    public StreamedSafeTensorsFile(string path, IReadOnlyList<TensorLayout> tensors)
    {
        Path = System.IO.Path.GetFullPath(path);
        var layout = tensors.Select(t => new SafeTensorsWriter.Layout(t.Name, SafeTensorsDType.NameOf(t.DType), t.Shape, t.Bytes)).ToList();
        var (header, offsets) = SafeTensorsWriter.BuildHeader(layout, SafeTensorsWriter.PyTorchMetadata);
        var dataStart = 8L + header.Length;
        for (var i = 0; i < tensors.Count; i++) _slots[tensors[i].Name] = (tensors[i], dataStart + offsets[i]);

        _temporary = AtomicFile.TemporaryPath(Path);
        _handle = File.OpenHandle(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None,
            preallocationSize: dataStart + tensors.Sum(t => t.Bytes));
        var prefix = new byte[dataStart];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        header.CopyTo(prefix, 8);
        RandomAccess.Write(_handle, prefix, 0);
    }

    public string Path { get; }

    public IEnumerable<string> Names => _slots.Keys;

    public void Write(string name, Tensor tensor)
    {
        var (layout, offset) = _slots[name];
        if (!_written.Add(name)) throw new InvalidOperationException($"tensor '{name}' is written twice");
        if (tensor.dtype != layout.DType || !tensor.shape.SequenceEqual(layout.Shape))
            throw new InvalidOperationException($"tensor '{name}' is {SafeTensorsDType.NameOf(tensor.dtype)} [{string.Join(", ", tensor.shape)}], the layout says {layout.Describe()}");
        if (layout.Bytes == 0) return;
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().reshape(-1);
        var elementSize = SafeTensorsDType.ElementSize(layout.DType);
        var block = Math.Max(1, BlockBytes / elementSize);
        for (long start = 0; start < layout.ElementCount; start += block)
        {
            using var part = flat.narrow(0, start, Math.Min(block, layout.ElementCount - start));
            RandomAccess.Write(_handle, part.bytes, offset + start * elementSize);
        }
    }

    /// <summary>Checks that every tensor was written and renames the file into place.</summary>
    public void Commit()
    {
        var missing = _slots.Keys.Where(n => !_written.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"{Path}: {missing.Count} tensors were never written (first: '{missing[0]}')");
        RandomAccess.FlushToDisk(_handle);
        _handle.Dispose();
        File.Move(_temporary, Path, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        _handle.Dispose();
        if (!_committed && File.Exists(_temporary)) File.Delete(_temporary);
    }
}
