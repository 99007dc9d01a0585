using System.Runtime.InteropServices;
using System.Text;

namespace Tuneforge.Engine.Runtime;

/// <summary>
/// Some TorchSharp entry points (e.g. <c>THSTensor_matmul</c>) do not catch libtorch's C++ errors, so the C++ runtime
/// terminates the process. This installs a <c>std::terminate</c> handler that first writes a prepared error line to
/// stdout, so a caller reading the event protocol still gets an error event, then lets the previous handler print
/// the C++ message to stderr and abort (exit status 134). Linux only; elsewhere it does nothing.
/// </summary>
public static unsafe class NativeAbortReporter
{
    private static byte[] _line = [];
    private static int _descriptor = 1;
    private static nint _previous;

    public static bool Installed { get; private set; }

    /// <param name="line">The complete text to write (an error event and a newline).</param>
    /// <param name="descriptor">1 for stdout (the event protocol), 2 for stderr (text for people).</param>
    public static void Install(string line, int descriptor = 1)
    {
        _line = Encoding.UTF8.GetBytes(line);
        _descriptor = descriptor;
        if (Installed || !OperatingSystem.IsLinux()) return;
        try
        {
            _previous = SetTerminate((nint)(delegate* unmanaged<void>)&OnTerminate);
            Installed = true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another C++ runtime: libtorch failures then end the process without the event.
        }
    }

    [UnmanagedCallersOnly]
    private static void OnTerminate()
    {
        fixed (byte* bytes = _line) Write(_descriptor, bytes, (nint)_line.Length);
        if (_previous != 0) ((delegate* unmanaged<void>)_previous)();
        Abort();
    }

    [DllImport("libstdc++.so.6", EntryPoint = "_ZSt13set_terminatePFvvE")]
    private static extern nint SetTerminate(nint handler);

    [DllImport("libc", EntryPoint = "write")]
    private static extern nint Write(int descriptor, byte* buffer, nint count);

    [DllImport("libc", EntryPoint = "abort")]
    private static extern void Abort();
}
