using System.Diagnostics;
using System.Runtime.InteropServices;
using Tuneforge.Engine.Protocol;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

public sealed class NativeErrorTests
{
    /// <summary>Entry points that catch libtorch's errors hand them over as <see cref="ExternalException"/>, which the CLI reports.</summary>
    [Fact]
    public void A_caught_libtorch_error_surfaces_as_an_external_exception_with_its_message()
    {
        using var a = ones(2, 3);
        using var b = ones(2, 3);
        var error = Assert.ThrowsAny<ExternalException>(() => a.mm(b));
        Assert.Contains("cannot be multiplied", error.Message);
    }

    /// <summary>Others (THSTensor_matmul) let the C++ error terminate the process: the engine still writes an error event first.</summary>
    [Fact]
    public void An_uncaught_native_error_still_writes_an_error_event_before_the_process_aborts()
    {
        var engine = Path.Combine(AppContext.BaseDirectory, "tuneforge-engine.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { engine, "doctor", "--simulate-native-abort" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(134, process.ExitCode);   // SIGABRT
        var error = Assert.IsType<ErrorEvent>(EventSerializer.TryParse(stdout.Trim()));
        Assert.Equal("native_abort", error.Code);
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied", stderr.Result);
    }
}
