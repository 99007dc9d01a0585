using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Tests.TestSupport;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

public sealed class SafeTensorsTests
{
    [Fact]
    public void Written_tensors_read_back_with_their_dtype_shape_and_values()
    {
        using var directory = new TempDirectory();
        var path = directory.File("t.safetensors");
        using var a = arange(12, ScalarType.Float32).view(3, 4);
        using var b = tensor(new long[] { 7, -8, 9 });
        using var c = (arange(6, ScalarType.Float32) / 4).to_type(ScalarType.BFloat16);
        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a, ["c"] = c });

        using var reader = SafeTensorsReader.Open(path);
        Assert.Equal("pt", reader.Header.Metadata["format"]);
        Assert.Equal(["a", "b", "c"], reader.Header.Entries.Keys.Order());
        using var readA = reader.Read("a");
        using var readB = reader.Read("b");
        using var readC = reader.Read("c");
        Assert.Equal([3L, 4L], readA.shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)i), readA.data<float>().ToArray());
        Assert.Equal([7L, -8L, 9L], readB.data<long>().ToArray());
        Assert.Equal(ScalarType.BFloat16, readC.dtype);
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f], readC.to_type(ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void Saving_twice_gives_identical_bytes_with_an_aligned_header()
    {
        using var directory = new TempDirectory();
        using var weight = arange(10, ScalarType.Float32);
        using var bias = ones(3, ScalarType.Float16);
        var tensors = new Dictionary<string, Tensor> { ["z.weight"] = weight, ["a.bias"] = bias };
        SafeTensorsWriter.Write(directory.File("1.safetensors"), tensors);
        SafeTensorsWriter.Write(directory.File("2.safetensors"), tensors.Reverse().ToDictionary());

        var first = File.ReadAllBytes(directory.File("1.safetensors"));
        Assert.Equal(SHA256.HashData(first), SHA256.HashData(File.ReadAllBytes(directory.File("2.safetensors"))));
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(first);
        Assert.Equal(0UL, headerLength % 8);
        var header = Encoding.UTF8.GetString(first, 8, (int)headerLength);
        Assert.StartsWith("{\"__metadata__\":{\"format\":\"pt\"},\"a.bias\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]}", header);
    }

    [Theory]
    [InlineData("past-end", "runs past the end of the file")]
    [InlineData("huge-header", "exceeds the 104857600-byte limit")]
    [InlineData("invalid-json", "not valid JSON")]
    [InlineData("unknown-dtype", "unknown dtype 'F8_E9M9'")]
    [InlineData("out-of-range", "out of range")]
    [InlineData("overlap", "overlap")]
    [InlineData("gap", "belong to no tensor")]
    [InlineData("trailing", "belong to no tensor")]
    [InlineData("shape-mismatch", "needs 24 bytes but data_offsets give 16")]
    [InlineData("shape-overflow", "is too large")]
    [InlineData("negative-dim", "non-negative integers")]
    [InlineData("duplicate", "appears twice")]
    [InlineData("not-object", "not a JSON object")]
    [InlineData("tiny", "8-byte header length")]
    public void A_malformed_file_is_refused_with_the_file_and_the_problem(string kind, string expected)
    {
        using var directory = new TempDirectory();
        var path = directory.File(kind + ".safetensors");
        if (kind == "huge-header") WriteSparseHugeHeader(path);
        else System.IO.File.WriteAllBytes(path, Malformed(kind));

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsHeader.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    // Each case is a small file.
    private static byte[] Malformed(string kind) => kind switch
    {
        "past-end" => WithLength(1_000_000, "{}"),
        "invalid-json" => FileBytes("{\"a\": {\"dtype\": \"F32\", ", 0),
        "unknown-dtype" => FileBytes("{\"a\":{\"dtype\":\"F8_E9M9\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2),
        "out-of-range" => FileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
        "overlap" => FileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
        "gap" => FileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12),
        "trailing" => FileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12),
        "shape-mismatch" => FileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", 16),
        "shape-overflow" => FileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,8],\"data_offsets\":[0,16]}}", 16),
        "negative-dim" => FileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
        "duplicate" => FileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
        "not-object" => FileBytes("[1, 2, 3]", 0),
        "tiny" => [1, 2, 3],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] FileBytes(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        return [.. WithLength((ulong)json.Length, ""), .. json, .. new byte[dataBytes]];
    }

    private static byte[] WithLength(ulong length, string rest)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        return [.. bytes, .. Encoding.UTF8.GetBytes(rest)];
    }

    // Claims a 200 MB header inside a file that really is that long (sparse on disk): the cap must refuse it unread.
    private static void WriteSparseHugeHeader(string path)
    {
        const long claimed = 200L * 1024 * 1024;
        using var stream = new FileStream(path, FileMode.Create);
        stream.SetLength(8 + claimed);
        stream.Write(WithLength(claimed, ""));
    }
}
