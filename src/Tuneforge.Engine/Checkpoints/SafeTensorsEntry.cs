using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>One tensor's header entry; offsets are relative to the data section that follows the header.</summary>
public sealed record SafeTensorsEntry(string Name, string DTypeName, ScalarType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
