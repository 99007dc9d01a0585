using TorchSharp;

namespace Tuneforge.Engine.Runtime;

/// <summary>Loads libtorch once and turns a failure into an error a person can act on.</summary>
public static class TorchRuntime
{
    /// <summary>Loads the native libraries and sets the CPU thread count (0 = libtorch's default).</summary>
    public static void Initialize(int threads = 0)
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            throw new EngineException(
                $"libtorch could not be loaded: {e.Message}",
                "On Linux, run `ldd` on libLibTorchSharp.so in the engine's folder to see the real cause; the build " +
                "patches its GLIBCXX_3.4.32 need (eng/LibTorch.targets) - rebuild the engine if the copy is unpatched.");
        }
        if (threads > 0) torch.set_num_threads(threads);
    }
}
