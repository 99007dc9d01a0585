using TorchSharp;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Runtime;

/// <summary>Where and in which precision a model runs: <c>--device cpu|cuda[:N]</c>, <c>--dtype float32|bfloat16|float16</c>.</summary>
public sealed record ComputeOptions(Device Device, ScalarType DType)
{
    public static ComputeOptions Cpu(ScalarType dtype = ScalarType.Float32) => new(CPU, dtype);

    /// <summary>Parses the user's names; throws <see cref="ArgumentException"/> naming what is accepted.</summary>
    public static ComputeOptions Parse(string device, string dtype) => new(ParseDevice(device), ParseDType(dtype));

    public static Device ParseDevice(string name)
    {
        var normalized = name.Trim().ToLowerInvariant();
        if (normalized == "cpu") return CPU;
        if (normalized == "meta") return META;
        if (normalized == "cuda" || normalized.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException($"device '{name}': CUDA is not available in this build or machine " +
                    "(build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU, or use --device cpu)");
            return new Device(normalized);
        }
        throw new ArgumentException($"device '{name}' is not known; use cpu or cuda (cuda:N for a specific GPU)");
    }

    public static ScalarType ParseDType(string name) => name.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "f16" or "half" => ScalarType.Float16,
        _ => throw new ArgumentException($"dtype '{name}' is not known; use float32, bfloat16 or float16"),
    };

    /// <summary>The Hugging Face spelling (config.json's <c>torch_dtype</c>).</summary>
    public static string HfName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => dtype.ToString().ToLowerInvariant(),
    };
}
