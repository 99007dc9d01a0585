namespace Tuneforge.Engine.Gguf;

/// <summary>
/// A tensor's entry in a GGUF file. <paramref name="Dims"/> are in ggml order, innermost first: a PyTorch
/// weight of shape [out, in] is [in, out] here. <paramref name="Offset"/> is relative to the data section.
/// </summary>
public sealed record GgufTensorInfo(string Name, long[] Dims, GgmlType Type, ulong Offset)
{
    public long ElementCount => Dims.Aggregate(1L, (product, d) => product * d);
    public long ByteCount => GgmlTypes.ByteCount(Type, Dims);

    /// <summary>The PyTorch shape (outermost first).</summary>
    public long[] TorchShape => Dims.Reverse().ToArray();
}
