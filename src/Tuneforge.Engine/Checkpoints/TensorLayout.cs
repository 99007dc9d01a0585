using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>A tensor of a checkpoint before its values exist: what a streamed writer lays out the files from.</summary>
public sealed record TensorLayout(string Name, ScalarType DType, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (product, dim) => product * dim);

    public long Bytes => ElementCount * SafeTensorsDType.ElementSize(DType);

    public static TensorLayout Of(string name, Tensor tensor) => new(name, tensor.dtype, tensor.shape);

    public string Describe() => $"{SafeTensorsDType.NameOf(DType)} [{string.Join(", ", Shape)}]";
}
