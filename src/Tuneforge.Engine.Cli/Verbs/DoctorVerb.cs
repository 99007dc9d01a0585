using System.Diagnostics;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary><c>doctor</c>: checks that libtorch works here and reports threads, devices and matmul speed.</summary>
public sealed class DoctorVerb : IVerb
{
    public string Name => "doctor";
    public string Summary => "check that libtorch loads and computes; report threads, CUDA and matmul GFLOP/s";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("simulate-native-abort", "run an operation whose C++ error TorchSharp does not catch, to check that an error event is still written", IsFlag: true),
    ];

    public Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        if (arguments.Flag("simulate-native-abort"))
        {
            using var a = ones(2, 3);
            using var b = ones(2, 3);
            using var product = a.matmul(b);   // THSTensor_matmul has no C++ catch: the process terminates here
        }
        var data = new JsonObject
        {
            ["torchsharp"] = typeof(Tensor).Assembly.GetName().Version?.ToString(),
            ["threads"] = get_num_threads(),
            ["cuda_available"] = cuda.is_available(),
            ["cuda_devices"] = cuda.is_available() ? cuda.device_count() : 0,
            ["matmul_gflops_float32"] = Math.Round(MatmulGflops(ScalarType.Float32), 1),
            ["matmul_gflops_bfloat16"] = Math.Round(MatmulGflops(ScalarType.BFloat16), 1),
        };
        events.Write(new ResultEvent(Name, data));
        return Task.FromResult(0);
    }

    // Best of a few 1024² products: enough to tell a working BLAS from a 10× slower fallback.
    private static double MatmulGflops(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var a = rand(1024, 1024).to_type(dtype);
        var b = rand(1024, 1024).to_type(dtype);
        a.matmul(b);
        var best = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
    }
}
