using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Tuneforge.Files;

namespace Tuneforge.Targets;

/// <summary>One build from arguments to exit code: parameters, targets, help/plan, then execution and the summary.</summary>
public static class BuildRunner
{
    /// <summary>Chooses the host from the environment; a CI integration replaces it (GitHub Actions).</summary>
    public static Func<IReadOnlyDictionary<string, string>, IBuildHost> HostFactory { get; set; } =
        environment => (IBuildHost?)GitHubActionsHost.TryCreate(environment) ?? new TerminalHost();

    public static int Run<T>(string[] args, Func<T, Target>? defaultTarget, TextWriter console,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) where T : NukeBuild, new()
    {
        var stopwatch = Stopwatch.StartNew();
        environment ??= Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        Log.Host = HostFactory(environment);
        Log.Configure(console, null);
        T? build = null;
        try
        {
            var arguments = new ArgumentParser(args);
            var root = FindRoot(arguments, workingDirectory ?? Directory.GetCurrentDirectory());
            Log.Configure(console, Path.Combine(root, ".nuke", "temp", "build.log"));
            build = new T { RootDirectory = new AbsolutePath(root) };
            var profiles = arguments.Values("profile") ?? [];
            var files = ParameterSources.ReadFiles(build.NukeDirectory, profiles);
            ParameterInjector.Inject(build, new ParameterSources(arguments, environment, files), root, []);
            Log.Verbosity = build.Verbosity;

            var targets = ExecutableTargetFactory.CreateAll(build, defaultTarget?.Invoke(build));
            build.ExecutableTargets = targets;
            var parameters = ParameterMember.Of(typeof(T));
            WriteIfChanged(build.NukeDirectory / "build.schema.json", BuildSchema.Generate(targets, parameters));
            build.Created();
            if (build.GenerateConfiguration is { } configurations)
            {
                ConfigurationRunner.Generate(build, root, configurations);
                return 0;
            }
            if (!IsServer(environment)) ConfigurationRunner.AutoGenerate(build, root);
            if (build.Help)
            {
                Log.Write(HelpText.Render(targets, parameters, build.Footer));
                return 0;
            }

            var invoked = arguments.Positional.Concat(build.Target ?? []).ToList();
            build.ExecutionPlan = ExecutionPlanner.Plan(targets, invoked);
            if (build.Plan)
            {
                Log.Write(PlanText.Render(build.ExecutionPlan));
                var page = build.TemporaryDirectory / "plan.html";
                WriteIfChanged(page, PlanText.MermaidPage(PlanText.Mermaid(targets, build.ExecutionPlan)));
                Log.Write($"{Environment.NewLine}Graph: {page.RelativeTo(build.RootDirectory)}");
                return 0;
            }

            build.Cache = new ArtifactCache(build.CacheDirectory);
            build.Hashes = new FileHashes(build.TemporaryDirectory / "file-hashes.json");
            build.Initialized();
            return Execute(build, args, stopwatch);
        }
        catch (BuildException e)
        {
            Log.Error(e.Message);
            if (e.InnerException is { } inner) Log.FileOnly(inner.ToString());
            Log.Host.WriteSummary(JobSummary.RenderError(Invocation(args), e.Message)); // e.g. a pipeline spec error
            return 1;
        }
        catch (Exception e)
        {
            Log.Error($"Unexpected {e.GetType().Name}: {e.Message}");
            Log.FileOnly(e.ToString());
            Log.Debug(e.ToString());
            return 1;
        }
        finally
        {
            build?.Hashes?.Save();
            Log.Close();
        }
    }

    static int Execute(NukeBuild build, string[] args, Stopwatch stopwatch)
    {
        var attemptFile = build.TemporaryDirectory / "build-attempt.log";
        var previous = PreviousAttempt(attemptFile, args, build.Continue, out var invocationHash);
        Directory.CreateDirectory(build.TemporaryDirectory);
        File.WriteAllLines(attemptFile, [invocationHash, .. previous]);

        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // Let targets stop cleanly: no half-written cache entry, assured targets still run.
            build.cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        bool succeeded;
        try
        {
            var executor = new BuildExecutor(build, previous, name => File.AppendAllLines(attemptFile, [name]));
            succeeded = executor.ExecuteAsync().GetAwaiter().GetResult();
        }
        catch (BuildException e)
        {
            Log.Error(e.Message);
            succeeded = false;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        var summary = SummaryTable.Render(build.ExecutionPlan, succeeded, DateTimeOffset.Now, stopwatch.Elapsed);
        Log.Write(summary);
        Log.Host.WriteSummary(JobSummary.Render(Invocation(args), build.ExecutionPlan.Select(SummaryTable.Row.From).ToList(), succeeded, DateTimeOffset.Now, stopwatch.Elapsed));
        build.Finished(succeeded);
        return succeeded ? 0 : build.Cancellation.IsCancellationRequested ? 130 : 1;
    }

    // As NUKE's --continue: the same invocation (every argument but --continue) skips what already succeeded.
    static IReadOnlyCollection<string> PreviousAttempt(string file, string[] args, bool resume, out string invocationHash)
    {
        var invocation = string.Join("\n", args.Where(a => ArgumentParser.Normalize(a) != "continue"));
        invocationHash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(invocation)));
        if (!resume || !File.Exists(file)) return [];
        var lines = File.ReadAllLines(file);
        if (lines.FirstOrDefault() == invocationHash) return lines.Skip(1).ToHashSet();
        Log.Warning("Build invocation changed; running everything again.");
        return [];
    }

    static string Invocation(string[] args) => string.Join(" ", ["./build.sh", .. args]);

    static bool IsServer(IReadOnlyDictionary<string, string> environment) =>
        environment.GetValueOrDefault("CI") is "true" or "True" or "1" || environment.GetValueOrDefault("GITHUB_ACTIONS") == "true";

    static string FindRoot(ArgumentParser arguments, string workingDirectory)
    {
        if (arguments.Values("root") is [var explicitRoot]) return Path.GetFullPath(explicitRoot, workingDirectory);
        for (var directory = new DirectoryInfo(workingDirectory); directory is not null; directory = directory.Parent)
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke"))) return directory.FullName;
        throw new BuildException($"No root directory: neither '{workingDirectory}' nor a parent has a .nuke folder. Run from the repository, or pass --root.");
    }

    public static void WriteIfChanged(string path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content) return;
        AtomicFile.WriteAllText(path, content);
    }
}
