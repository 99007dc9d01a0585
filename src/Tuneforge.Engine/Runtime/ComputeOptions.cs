using TorchSharp;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Runtime;

/// <summary>Where and in which precision a model runs: <c>--device cpu|cuda[:N]</c>, <c>--dtype float32|bfloat16|float16</c>.</summary>
public sealed record ComputeOptions(Device Device, ScalarType DType)
{
    public static ComputeOptions Cpu(ScalarType dtype = ScalarType.Float32) => new(CPU, dtype);

    /// <summary>The dtype activations are computed in when it differs from the weights' <see cref="DType"/> (see <see cref="WithNativeMath"/>).</summary>
    public ScalarType? Activations { get; init; }

    /// <summary>The dtype the model computes in: <see cref="DType"/> unless <see cref="Activations"/> says otherwise.</summary>
    public ScalarType ActivationDType => Activations ?? DType;

    /// <summary>
    /// bfloat16 weights on a CPU that only emulates bfloat16 (about 100 times slower than float32) compute in float32:
    /// the weights stay bfloat16 in memory and each layer's are widened for its product only, as llama.cpp does for
    /// F16 files on such CPUs. Memory stays that of bfloat16, speed that of float32.
    /// </summary>
    public ComputeOptions WithNativeMath() => CpuBfloat16.IsEmulated(Device, DType) ? this with { Activations = ScalarType.Float32 } : this;

    /// <summary>How the model computes, for log lines: "bfloat16", or "bfloat16 weights, float32 math".</summary>
    public string Describe() => Activations is { } math && math != DType ? $"{HfName(DType)} weights, {HfName(math)} math" : HfName(DType);

    /// <summary>The model section's device and torch_dtype: auto is CUDA when available, and then bfloat16 (float32 on CPU).</summary>
    public static ComputeOptions For(ModelSpec spec)
    {
        var device = DeviceFor(spec.Device);
        return new ComputeOptions(device, DTypeFor(spec, device)).WithNativeMath();
    }

    /// <summary>The model section's torch_dtype on <paramref name="device"/>: auto is bfloat16 on CUDA, float32 on the CPU.</summary>
    public static ScalarType DTypeFor(ModelSpec spec, Device device) => DTypeFor(spec.TorchDtype, device);

    /// <summary><paramref name="dtype"/> on <paramref name="device"/>: auto is bfloat16 on CUDA, float32 on the CPU.</summary>
    public static ScalarType DTypeFor(TorchDtype dtype, Device device) => dtype switch
    {
        TorchDtype.Float32 => ScalarType.Float32,
        TorchDtype.Bfloat16 => ScalarType.BFloat16,
        TorchDtype.Float16 => ScalarType.Float16,
        _ => device.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32,
    };

    /// <summary>model.device: cpu, cuda (an error without CUDA), or auto.</summary>
    public static Device DeviceFor(DeviceKind kind) => kind switch
    {
        DeviceKind.Cpu => CPU,
        DeviceKind.Cuda => cuda.is_available() ? CUDA : throw new EngineException("model.device is cuda, but CUDA is not available to this engine",
            "Use device: auto or cpu, or run on a GPU runner with the CUDA build of the engine (-p:TorchBackend=cuda)."),
        _ => cuda.is_available() ? CUDA : CPU,
    };

    /// <summary>Parses the user's names; throws <see cref="ArgumentException"/> naming what is accepted.</summary>
    public static ComputeOptions Parse(string device, string dtype) => new ComputeOptions(ParseDevice(device), ParseDType(dtype)).WithNativeMath();

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
