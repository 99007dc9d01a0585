namespace Tuneforge.Engine.Gguf;

/// <summary>
/// One metadata value: a scalar (uint32, int32, uint64, float32, bool, string, ...) or an array of one element type.
/// Scalars are held as their .NET type; arrays as a typed .NET array (string[], int[], float[], ...).
/// </summary>
public sealed record GgufValue(GgufValueType Type, object Value, GgufValueType ElementType = GgufValueType.UInt8)
{
    public static GgufValue String(string value) => new(GgufValueType.String, value);
    public static GgufValue UInt32(uint value) => new(GgufValueType.UInt32, value);
    public static GgufValue Int32(int value) => new(GgufValueType.Int32, value);
    public static GgufValue UInt64(ulong value) => new(GgufValueType.UInt64, value);
    public static GgufValue Float32(float value) => new(GgufValueType.Float32, value);
    public static GgufValue Bool(bool value) => new(GgufValueType.Bool, value);
    public static GgufValue Strings(IReadOnlyList<string> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.String);
    public static GgufValue Int32s(IReadOnlyList<int> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Int32);
    public static GgufValue Float32s(IReadOnlyList<float> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Float32);

    /// <summary>The value as text for people (arrays show their length and first items).</summary>
    public override string ToString() => Value switch
    {
        Array array => $"[{array.Length} × {ElementType}]",
        _ => Convert.ToString(Value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    public string AsString() => Value as string ?? throw Wrong("a string");
    public uint AsUInt32() => Value is uint u ? u : Value is int i && i >= 0 ? (uint)i : throw Wrong("an unsigned integer");
    public int AsInt32() => Value switch { int i => i, uint u when u <= int.MaxValue => (int)u, _ => throw Wrong("an integer") };
    public float AsFloat32() => Value is float f ? f : throw Wrong("a float32");
    public bool AsBool() => Value is bool b ? b : throw Wrong("a bool");
    public string[] AsStrings() => Value as string[] ?? throw Wrong("an array of strings");
    public int[] AsInt32s() => Value as int[] ?? throw Wrong("an array of int32");

    private InvalidDataException Wrong(string expected) => new($"GGUF value of type {Type} is not {expected}");
}
