using System.Diagnostics;
using System.Text.Json;

namespace Tuneforge.Engine.Tests.TestSupport;

/// <summary>Runs reference/reference_forward.py with a python3 that has torch (Debian's python3-torch).</summary>
public static class PythonReference
{
    private static readonly Lazy<string?> Interpreter = new(FindInterpreter);

    public static string? Python => Interpreter.Value;

    public const string MissingReason =
        "python3 with torch not found (`python3 -c 'import torch'` fails): install Debian's python3-torch " +
        "(apt-get install -y python3-torch libopenblas0-pthread) to compare logits against the reference";

    /// <summary>Logits (B·T·V floats) of the reference forward pass for the model folder and inputs.</summary>
    public static float[] Logits(string modelDirectory, long[][] inputIds, long[][]? attentionMask, string workDirectory)
    {
        var request = Path.Combine(workDirectory, "request.json");
        var output = Path.Combine(workDirectory, "reference-logits.bin");
        File.WriteAllText(request, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["input_ids"] = inputIds,
            ["attention_mask"] = attentionMask,
        }));
        var script = Path.Combine(AppContext.BaseDirectory, "reference", "reference_forward.py");
        var (code, text) = Run(Python!, script, modelDirectory, request, output);
        if (code != 0) throw new InvalidOperationException($"reference_forward.py failed ({code}):\n{text}");
        var bytes = File.ReadAllBytes(output);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    // Debian's interpreter first: a pyenv or venv python3 earlier on PATH usually lacks torch.
    private static string? FindInterpreter()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                if (Run(candidate, "-c", "import torch").Code == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }
        return null;
    }

    private static (int Code, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}

/// <summary>A fact that is skipped, with the reason shown, where no python3 with torch is installed.</summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    public PythonTorchFactAttribute()
    {
        if (PythonReference.Python is null) Skip = PythonReference.MissingReason;
    }
}
