using Tuneforge.Pipeline.Protocol;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Stages.Engine;
using Tuneforge.Targets;

partial class Build
{
    Target Serve => _ => _
        .Description("Serves the tuned model over HTTP until Ctrl-C (OpenAI-compatible chat, /generate, /metrics, /feedback) from the cached Train or Quantize outputs (serve.backend, serve.weights)")
        .Executes(async () =>
        {
            var arguments = ServeModelArguments().Concat(ServeOptionArguments()).ToList();
            var (fileName, prefix) = EngineLocator.Find(RootDirectory);
            Log.Information($"tuneforge-engine serve {string.Join(" ", arguments)}");
            ErrorEvent? error = null;
            int exitCode;
            try
            {
                exitCode = await ProcessRunner.RunAsync(fileName, [.. prefix, "serve", .. arguments], RootDirectory,
                    line =>
                    {
                        switch (EventSerializer.TryParse(line))
                        {
                            case LogEvent log: Log.Information(log.Message); break;
                            case ErrorEvent failure: error ??= failure; break;
                            case null: Log.Information(line); break;
                        }
                    },
                    Log.Information, cancellation: Cancellation, stopGrace: TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM is how serving ends: the server was asked to stop (SIGTERM; requests get 10 s) and killed if it had not within 15 s.
                exitCode = 0;
            }
            if (error is not null) throw new BuildException(error.Hint is null ? error.Message : $"{error.Message}\n  {error.Hint}");
            if (exitCode != 0) throw new BuildException($"tuneforge-engine serve exited with code {exitCode}; its output is above.");
            ReportSummary(("served", ServedDescription));
        });

    string ServedDescription = "";

    // What to serve: the base model with Train's adapter (or Train's full model), or one of Quantize's formats.
    IEnumerable<string> ServeModelArguments()
    {
        var serve = Spec.Serve;
        List<string> arguments = ["--model-name", Spec.Name, "--chat-template", Spec.Model.ChatTemplate];
        if (serve.Backend == "gguf")
        {
            var type = serve.GgufFormat.StartsWith("gguf_", StringComparison.Ordinal) ? serve.GgufFormat["gguf_".Length..] : serve.GgufFormat;
            var file = Output(Quantize) / $"model-{type}.gguf";
            if (!file.FileExists())
                throw new BuildException($"serve.gguf_format is {serve.GgufFormat}, but Quantize wrote no {file.Name} (it has: {string.Join(", ", Directory.GetFiles(Output(Quantize), "*.gguf").Select(Path.GetFileName))}); add {serve.GgufFormat} to quantize.formats and run ./build.sh Quantize");
            ServedDescription = file.RelativeTo(RootDirectory);
            return [.. arguments, "--gguf", file];
        }
        arguments.AddRange(ServeComputeArguments());
        if (serve.Weights is "merged" or "int8" or "int4")
        {
            var folder = Output(Quantize) / serve.Weights;
            if (!folder.DirectoryExists())
                throw new BuildException($"serve.weights is {serve.Weights}, but Quantize wrote no {serve.Weights}/; add it to quantize.formats and run ./build.sh Quantize");
            ServedDescription = folder.RelativeTo(RootDirectory);
            return [.. arguments, "--model", folder];
        }
        var trained = Output(Train);
        if ((trained / "adapter").DirectoryExists())
        {
            ServedDescription = $"{Spec.Model.Source} + {(trained / "adapter").RelativeTo(RootDirectory)}";
            return [.. arguments, "--model", Spec.Model.Source, "--preset-seed", Spec.Model.PresetSeed.ToString(), "--adapter", trained / "adapter"];
        }
        if ((trained / "model").DirectoryExists())
        {
            ServedDescription = (trained / "model").RelativeTo(RootDirectory);
            return [.. arguments, "--model", trained / "model"];
        }
        throw new BuildException($"Train's output {trained.RelativeTo(RootDirectory)} has neither adapter/ nor model/; run ./build.sh Train --force Train");
    }

    IEnumerable<string> ServeComputeArguments()
    {
        if (Spec.Model.Device == DeviceKind.Cuda) yield return "--device=cuda";
        if (Spec.Model.TorchDtype != TorchDtype.Auto) yield return $"--dtype={Spec.Model.TorchDtype.ToString().ToLowerInvariant()}";
        if (Spec.Model.NumThreads > 0) yield return $"--threads={Spec.Model.NumThreads}";
    }

    IEnumerable<string> ServeOptionArguments()
    {
        var serve = Spec.Serve;
        yield return $"--urls={serve.Urls}";
        yield return $"--max-batch-size={serve.MaxBatchSize}";
        yield return $"--max-queue={serve.MaxQueue}";
        yield return $"--batch-window-ms={serve.BatchWindowMs}";
        yield return $"--request-timeout={serve.RequestTimeoutSeconds}";
        if (serve.ApiKeysEnv is { } variable) yield return $"--api-keys-env={variable}";
        if (serve.ApiKeysFile is { } file) yield return $"--api-keys-file={RootDirectory / file}";
        if (serve.CorsOrigins.Count > 0) yield return $"--cors-origins={string.Join(",", serve.CorsOrigins)}";
        if (serve.LogPrompts) yield return "--log-prompts";
        if (serve.Feedback) yield return $"--feedback-db={ArtifactsDirectory / "serve" / "feedback.db"}";
        else yield return "--no-feedback";
    }
}
