using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Metrics;
using Tuneforge.Metrics.Bleu;
using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>score --predictions FILE [--gate rougeL=">= 0.3"] [--out DIR]</c>: ROUGE, BLEU, chrF, exact match and lengths of a
/// predictions.jsonl, base vs tuned with bootstrap intervals, into metrics.json. Needs no libtorch.
/// </summary>
public sealed class ScoreVerb : IVerb
{
    public string Name => "score";
    public string Summary => "score a predictions.jsonl (ROUGE, BLEU, chrF, exact match; base vs tuned) into metrics.json; no libtorch";
    public bool UsesTorch => false;

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("predictions", "predictions.jsonl: id, category, prompt, reference, prediction[, base_prediction] per line"),
        new("stemmer", "Porter-stem English tokens for ROUGE (rouge_score's use_stemmer)", IsFlag: true),
        new("bleu-tokenize", "zh, 13a or none (default: zh when the references hold Chinese)"),
        new("bootstrap-samples", "paired bootstrap resamples for tuned-minus-base intervals", Default: "1000"),
        new("gate", "a quality gate NAME=CONDITION, e.g. rougeL='>= 0.30' (repeatable); a failed gate exits 3", Repeatable: true),
    ];

    public Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var predictions = arguments.RequiredText("predictions", "the predictions.jsonl to score");
        var output = arguments.Text("out") ?? Path.GetDirectoryName(Path.GetFullPath(predictions))!;
        var gates = arguments.All("gate").Select(ParseGate).ToDictionary(g => g.Key, g => g.Value);
        MetricsReport report;
        try
        {
            report = Scoring.ScoreFile(predictions, new ScoringOptions
            {
                RougeStemmer = arguments.Flag("stemmer"),
                BleuTokenizer = BleuTokenizerOption(arguments.Text("bleu-tokenize")),
                Bootstrap = new Metrics.Statistics.BootstrapOptions(Samples: arguments.Int("bootstrap-samples") ?? 1000),
                Gates = gates.Count > 0 ? gates : null,
            });
        }
        catch (PredictionsFormatException e)
        {
            throw new UsageException(e.Message, "Each line is a JSON object with id, category, prompt, reference and prediction.");
        }
        catch (GateSpecException e)
        {
            throw new UsageException(e.Message, "Write gates as NAME=CONDITION, e.g. --gate rougeL='>= 0.30'.");
        }
        Directory.CreateDirectory(output);
        var metricsPath = Path.Combine(output, "metrics.json");
        MetricsReportJson.Write(metricsPath, report);
        events.Write(new ArtifactEvent(metricsPath, "metrics", new FileInfo(metricsPath).Length));
        if (report.Gates is { } gateReport) events.Log(GateTable.Render(gateReport));
        events.Write(new ResultEvent(Name, JsonNode.Parse(MetricsReportJson.Serialize(report))!["overall"]!.AsObject().DeepClone().AsObject()));
        return Task.FromResult(report.Gates is { Passed: false } ? 3 : 0);
    }

    static KeyValuePair<string, string> ParseGate(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0) throw new UsageException($"--gate {text} is not NAME=CONDITION", "For example --gate rougeL='>= 0.30'.");
        return KeyValuePair.Create(text[..equals].Trim(), text[(equals + 1)..].Trim());
    }

    static BleuTokenizerKind? BleuTokenizerOption(string? name)
    {
        try
        {
            return BleuTokenizer.ParseOrAuto(name);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"--bleu-tokenize {name} is not a tokenizer", "Use zh, 13a or none.");
        }
    }
}
