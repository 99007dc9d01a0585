using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Quantization;
using Tuneforge.Metrics.Rouge;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>quantize --job job.json --out DIR</c>: merges the job's adapter into its base model and writes merged/, int8/,
/// int4/ and GGUF files as quantize.formats asks, with quality.json (size, perplexity, ROUGE-L change per format).
/// </summary>
public sealed class QuantizeVerb : IVerb
{
    public string Name => QuantizeStage.Verb;
    public string Summary => "merge an adapter, write int8/int4 and GGUF formats, and measure each on the test split (quality.json)";
    public IReadOnlyList<OptionSpec> Options { get; } = [];
    public bool ReadsEngineJob => true;

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var jobFile = arguments.RequiredText("job", "the engine job: model, quantize and evaluate sections, the adapter and test split");
        var output = arguments.RequiredText("out", "the folder for merged/, int8/, int4/, *.gguf and quality.json");
        var job = JobFile.Read(jobFile, Name);
        // The evaluation's scorer: CJK letters count as tokens, so Chinese answers are scored too.
        var scorer = new RougeScorer(new RougeTokenizerOptions(UseStemmer: job.Evaluate?.RougeUseStemmer ?? false));
        var result = await QuantizationRun.RunAsync(job, output, events.Write, (reference, prediction) => scorer.Score(reference, prediction).RougeL.F1, cancellation);
        events.Write(StageResult.ToEvent(Name, result));
        return 0;
    }
}
