using System.Buffers.Binary;
using System.Text;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Tests.TestSupport;

namespace Tuneforge.Engine.Tests.Fuzzing;

/// <summary>One test per class of finding of the fuzz campaigns (and of the checks made before allocating): each hostile
/// file is refused with the reader's own error, naming the file and the problem.</summary>
public sealed class HostileCheckpointTests : IDisposable
{
    readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void A_safetensors_header_that_is_not_UTF8_is_refused()
    {
        var header = Encoding.UTF8.GetBytes("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""");
        header[2] = 0xFF; // inside the tensor's name
        var path = directory.File("bad.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0]);

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsHeader.Read(path));
        Assert.Equal($"{path}: the header is not UTF-8 text", error.Message);
    }

    // A valid file whose tensor "blk.0.patched" (dims [32, 2], Q8_0) and metadata the tests then damage in place.
    byte[] Gguf(params (string Key, GgufValue Value)[] metadata)
    {
        var writer = new GgufWriter().Set("general.architecture", GgufValue.String("qwen2"));
        foreach (var (key, value) in metadata) writer.Set(key, value);
        writer.AddTensor("blk.0.patched", [32, 2], GgmlType.Q8_0, () => new byte[68]);
        var path = directory.File("seed.gguf");
        writer.Write(path);
        return File.ReadAllBytes(path);
    }

    // Where the tensor's info starts after its name: uint32 dims, the dims (uint64 each), uint32 type, uint64 offset.
    static int AfterName(byte[] bytes, string name) => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(name)) + name.Length;

    InvalidDataException ReadError(byte[] bytes)
    {
        var path = directory.File("hostile.gguf");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => GgufFile.Read(path));
        Assert.StartsWith($"{path}: ", error.Message);
        return error;
    }

    [Fact]
    public void A_gguf_dimension_beyond_what_the_file_can_hold_is_refused_before_it_overflows()
    {
        var bytes = Gguf();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(AfterName(bytes, "blk.0.patched") + 4 + 8), 0x8000_0000_0000_0000);
        Assert.EndsWith("tensor 'blk.0.patched': dimension 1 is 9223372036854775808, more values than the file could hold", ReadError(bytes).Message);
    }

    [Fact]
    public void Gguf_dimensions_whose_bytes_exceed_the_file_are_refused()
    {
        var bytes = Gguf();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(AfterName(bytes, "blk.0.patched") + 4 + 8), 1000);
        Assert.EndsWith("tensor 'blk.0.patched' runs past the end of the file", ReadError(bytes).Message);
    }

    [Fact]
    public void A_gguf_tensor_offset_past_the_end_is_refused()
    {
        var bytes = Gguf();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(AfterName(bytes, "blk.0.patched") + 4 + 16 + 4), 0xFFFF_FFFF_FFFF_FFE0);
        Assert.EndsWith("tensor 'blk.0.patched' runs past the end of the file", ReadError(bytes).Message);
    }

    [Fact]
    public void A_gguf_row_that_is_not_whole_blocks_is_refused_naming_the_tensor()
    {
        var bytes = Gguf();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(AfterName(bytes, "blk.0.patched") + 4), 31);
        Assert.EndsWith("tensor 'blk.0.patched' of shape [31, 2] as Q8_0: a row of 31 values is not a whole number of Q8_0 blocks (32 values each)", ReadError(bytes).Message);
    }

    [Fact]
    public void A_gguf_array_declaring_more_items_than_bytes_left_is_refused_before_it_is_allocated()
    {
        var bytes = Gguf(("test.values", GgufValue.Int32s([1, 2, 3])));
        var left = bytes.Length - AfterName(bytes, "test.values");
        // type (4) and item type (4) come first; 3 items in the file, now `left / 4 + 1`: fewer bytes than four per item.
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(AfterName(bytes, "test.values") + 8), (ulong)(left / 4 + 1));
        Assert.EndsWith($"test.values: an array of {left / 4 + 1} items runs past the end of the file", ReadError(bytes).Message);
    }

    [Fact]
    public void A_gguf_alignment_that_is_not_a_power_of_two_is_refused()
    {
        Assert.EndsWith("general.alignment is 0; it must be a power of two (32 by default)", ReadError(Gguf(("general.alignment", GgufValue.UInt32(0)))).Message);
    }

    [Fact]
    public void A_gguf_key_that_appears_twice_is_refused()
    {
        var bytes = Gguf(("dup.aaaa", GgufValue.UInt32(1)), ("dup.bbbb", GgufValue.UInt32(2)));
        Encoding.UTF8.GetBytes("dup.aaaa").CopyTo(bytes, AfterName(bytes, "dup.bbbb") - "dup.bbbb".Length);
        Assert.EndsWith("metadata key 'dup.aaaa' appears twice", ReadError(bytes).Message);
    }
}
