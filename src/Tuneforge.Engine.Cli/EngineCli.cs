using System.Runtime.InteropServices;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Cli.Verbs;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Runtime;
using Tuneforge.Hub.Download;
using Tuneforge.Text;

namespace Tuneforge.Engine.Cli;

/// <summary>
/// <c>tuneforge-engine VERB [--options]</c>: dispatches to a verb and turns every failure into an error event and a
/// non-zero exit code (1: the input or the model is wrong, 2: the command line is wrong, 70: a bug).
/// </summary>
public static class EngineCli
{
    public static readonly IReadOnlyList<IVerb> Verbs = [new InitVerb(), new TokenizeVerb(), new GenerateVerb(), new InfoVerb(), new BenchVerb(), new DoctorVerb(), new TrainVerb(), new PrepareTrainVerb(), new PretrainVerb(), new BenchTrainVerb(), new BenchDecodeVerb(), new PreferenceTrainVerb(), new PredictVerb(), new ScoreVerb(), new ServeVerb(), new QuantizeVerb(), new MergeVerb(), new VerifyVerb()];

    /// <param name="defaultFormat">The format without --format: JSON lines for programs (the build), text on a terminal.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors, CancellationToken cancellation = default,
        EventFormat defaultFormat = EventFormat.Json)
    {
        var askedFormat = FormatOf(args);
        var events = new EventWriter(output, errors, askedFormat ?? defaultFormat);
        // Help is for people: plain text unless a program asks for it as a JSON event (--format json).
        void Help(string text)
        {
            if (askedFormat == EventFormat.Json) events.Log(text);
            else output.WriteLine(text);
        }
        try
        {
            if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
            {
                Help(Usage());
                return args.Count == 0 ? 2 : 0;
            }
            var verb = Verbs.FirstOrDefault(v => v.Name == args[0])
                ?? throw new UsageException($"unknown verb '{args[0]}'", $"Verbs: {string.Join(", ", Verbs.Select(v => v.Name))}.");
            var rest = args.Skip(1).ToList();
            if (verb.PositionalOption is { } positional && rest.Count > 0 && !rest[0].StartsWith("--", StringComparison.Ordinal))
                rest.Insert(0, $"--{positional}");   // `verify dist/x.zip` is `verify --archive dist/x.zip`
            var arguments = ParsedArguments.Parse(verb.Name, rest, verb.Options, mergeJob: !verb.ReadsEngineJob);
            if (arguments.Flag("help"))
            {
                Help(VerbHelp(verb));
                return 0;
            }
            if (verb.UsesTorch)
            {
                TorchRuntime.Initialize(arguments.Int("threads") ?? 0);
                InstallNativeAbortReport(events.Format);
            }
            return await verb.RunAsync(arguments, events, cancellation);
        }
        catch (Exception e)
        {
            var (error, code) = Describe(e);
            events.Write(error);
            return code;
        }
    }

    private static (ErrorEvent Error, int ExitCode) Describe(Exception e) => e switch
    {
        UsageException usage => (new ErrorEvent(usage.Message, usage.Hint, "usage"), 2),
        CheckpointException checkpoint => (new ErrorEvent(checkpoint.Message, checkpoint.Hint, "checkpoint"), 1),
        EngineException engine => (new ErrorEvent(engine.Message, engine.Hint, "engine"), 1),
        ModelConfigException config => (new ErrorEvent(config.Message, "Fix config.json or use the config that came with the checkpoint.", "config"), 1),
        TokenizerLoadException tokenizer => (new ErrorEvent(tokenizer.Message, "Give a folder with the model's tokenizer.json and tokenizer_config.json.", "tokenizer"), 1),
        ChatTemplateException template => (new ErrorEvent(template.Message, null, "chat_template"), 1),
        HubException hub => (new ErrorEvent(hub.Message, "Check HF_TOKEN, HF_ENDPOINT and the repository name, or use a local folder.", "hub"), 1),
        StageFileException stage => (new ErrorEvent(stage.Message, stage.Hint, "input"), 1),
        OperationCanceledException => (new ErrorEvent("cancelled", null, "cancelled"), 130),
        ExternalException native => (new ErrorEvent($"libtorch failed: {FirstLine(native.Message)}",
            "The native library rejected an operation (out of memory, unsupported dtype on this device, ...); try a smaller batch or --dtype float32.", "native"), 1),
        ArgumentException or InvalidOperationException or InvalidDataException or IOException or UnauthorizedAccessException =>
            (new ErrorEvent(e.Message, null, "input"), 1),
        _ => (new ErrorEvent($"internal error ({e.GetType().Name}): {e.Message}", "This is a bug in tuneforge-engine; please report it with the command line.", "internal"), 70),
    };

    // A C++ error that TorchSharp does not catch terminates the process; the caller still gets an error event first.
    private static void InstallNativeAbortReport(EventFormat format)
    {
        const string message = "libtorch aborted the process: a native error escaped TorchSharp (the C++ message follows on stderr)";
        const string hint = "Usually a shape or dtype that the model code did not expect; please report it with the command line.";
        if (format == EventFormat.Json)
            NativeAbortReporter.Install(EventSerializer.Serialize(new ErrorEvent(message, hint, "native_abort")) + "\n");
        else
            NativeAbortReporter.Install($"error: {message}\nhint: {hint}\n", descriptor: 2);
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static EventFormat? FormatOf(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var value = args[i] == "--format" && i + 1 < args.Count ? args[i + 1]
                : args[i].StartsWith("--format=", StringComparison.Ordinal) ? args[i]["--format=".Length..] : null;
            if (value is not null) return value == "text" ? EventFormat.Text : EventFormat.Json;
        }
        return null;
    }

    private static string Usage() =>
        "usage: tuneforge-engine VERB [--options]   (text on a terminal, JSON-lines events into a pipe; --format json|text to choose)\n" +
        string.Join("\n", Verbs.Select(v => $"  {v.Name,-10} {v.Summary}")) +
        "\nRun `tuneforge-engine VERB --help` for a verb's options.";

    private static string VerbHelp(IVerb verb) =>
        $"tuneforge-engine {verb.Name}: {verb.Summary}\n" +
        string.Join("\n", verb.Options.Concat(CommonOptions.All).Select(o =>
            $"  --{o.Name}{(o.IsFlag ? "" : " VALUE"),-7} {o.Description}{(o.Default is null ? "" : $" (default: {o.Default})")}"));
}
