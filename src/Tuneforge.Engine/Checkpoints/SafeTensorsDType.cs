using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>The safetensors dtype names the engine reads and writes, with their torch type and element size.</summary>
public static class SafeTensorsDType
{
    private static readonly (string Name, ScalarType Type, int Size)[] Known =
    [
        ("F64", ScalarType.Float64, 8),
        ("F32", ScalarType.Float32, 4),
        ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2),
        ("I64", ScalarType.Int64, 8),
        ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2),
        ("I8", ScalarType.Int8, 1),
        ("U8", ScalarType.Byte, 1),
        ("BOOL", ScalarType.Bool, 1),
    ];

    public static string SupportedNames => string.Join(", ", Known.Select(k => k.Name));

    public static bool TryParse(string name, out ScalarType type, out int elementSize)
    {
        foreach (var known in Known)
        {
            if (known.Name != name) continue;
            (type, elementSize) = (known.Type, known.Size);
            return true;
        }
        (type, elementSize) = (default, 0);
        return false;
    }

    public static int ElementSize(ScalarType type) =>
        Known.FirstOrDefault(k => k.Type == type).Size is var size and > 0 ? size
        : throw new ArgumentException($"dtype {type} cannot be stored in safetensors by this engine");

    public static bool IsFloatingPoint(ScalarType type) => type is ScalarType.Float64 or ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16;

    public static string NameOf(ScalarType type) =>
        Known.FirstOrDefault(k => k.Type == type).Name
        ?? throw new ArgumentException($"dtype {type} cannot be stored in safetensors by this engine");
}
