using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>Reads tensors of one validated safetensors file straight into CPU tensors of the file's dtype.</summary>
public sealed class SafeTensorsReader : IDisposable
{
    private readonly SafeFileHandle _handle;

    public SafeTensorsReader(SafeTensorsHeader header)
    {
        Header = header;
        _handle = File.OpenHandle(header.Path, FileMode.Open, FileAccess.Read, FileShare.Read);
        // The file may have changed since the header was validated: its data must still be all there.
        if (RandomAccess.GetLength(_handle) != header.DataOffset + header.DataLength)
            throw new CheckpointException($"{header.Path}: the file changed while it was being read");
    }

    public SafeTensorsHeader Header { get; }

    public static SafeTensorsReader Open(string path) => new(SafeTensorsHeader.Read(path));

    /// <summary>The tensor <paramref name="name"/> as a new CPU tensor (the caller disposes it).</summary>
    public Tensor Read(string name)
    {
        var entry = Entry(name);
        var result = empty(entry.Shape, entry.DType, CPU);
        try
        {
            Fill(name, entry, result.bytes); // writes go straight into the tensor's storage
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads <paramref name="name"/> into <paramref name="destination"/>: straight into its storage when it is a
    /// contiguous CPU tensor of the stored dtype (no second copy of a 1 GiB embedding), else through a converted copy.
    /// </summary>
    public void ReadInto(string name, Tensor destination)
    {
        var entry = Entry(name);
        if (destination.device_type == DeviceType.CPU && destination.dtype == entry.DType && destination.is_contiguous())
        {
            Fill(name, entry, destination.bytes);
            return;
        }
        using var source = Read(name);
        destination.copy_(source);
    }

    private SafeTensorsEntry Entry(string name)
    {
        if (!Header.Entries.TryGetValue(name, out var entry))
            throw new CheckpointException($"{Header.Path}: no tensor named '{name}'");
        if (entry.ByteLength > int.MaxValue)
            throw new CheckpointException($"{Header.Path}: tensor '{name}' has {entry.ByteLength} bytes; tensors over 2 GiB are not supported");
        return entry;
    }

    private void Fill(string name, SafeTensorsEntry entry, Span<byte> destination)
    {
        var offset = Header.DataOffset + entry.Begin;
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(_handle, destination, offset);
            if (read <= 0) throw new CheckpointException($"{Header.Path}: unexpected end of file in tensor '{name}'");
            destination = destination[read..];
            offset += read;
        }
    }

    public void Dispose() => _handle.Dispose();
}
