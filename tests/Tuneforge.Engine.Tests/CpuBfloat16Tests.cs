using Tuneforge.Engine.Runtime;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

public sealed class CpuBfloat16Tests
{
    const string Avx2Epyc = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx avx2 fma bmi2\n\nprocessor\t: 1\nflags\t\t: fpu avx2\n";
    const string Avx512Bf16 = "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16 avx512_vnni\n";
    const string ArmBf16 = "processor\t: 0\nFeatures\t: fp asimd sve bf16 i8mm\n";

    [Theory]
    [InlineData(Avx2Epyc, false)]
    [InlineData(Avx512Bf16, true)]
    [InlineData(ArmBf16, true)]
    [InlineData("processor\t: 0\nmodel name\t: something\n", null)]
    public void The_cpu_feature_list_tells_native_bfloat16(string cpuinfo, bool? native) => Assert.Equal(native, CpuBfloat16.FromCpuInfo(cpuinfo));

    [Fact]
    public void Only_bfloat16_on_a_cpu_without_it_is_warned_about_naming_the_key_that_turns_it_off()
    {
        var warning = CpuBfloat16.Warning(CPU, ScalarType.BFloat16, "train.bf16: false", native: false);
        Assert.Equal("this CPU has no native bfloat16 (neither avx512_bf16 nor amx_bf16 nor Arm bf16 in /proc/cpuinfo): bfloat16 is emulated " +
            "and runs about 100 times slower than float32 here; set train.bf16: false to compute in float32", warning);
        Assert.Null(CpuBfloat16.Warning(CPU, ScalarType.Float32, "train.bf16: false", native: false));
        Assert.Null(CpuBfloat16.Warning(CPU, ScalarType.BFloat16, "train.bf16: false", native: true));
        Assert.Null(CpuBfloat16.Warning(CPU, ScalarType.BFloat16, "train.bf16: false", native: null));
    }
}
