using Tuneforge.Data;
using Tuneforge.Data.Cleaning;
using Tuneforge.Data.Inspection;
using Tuneforge.Protocol;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>The review sheet of Predict's answers, ordered by Evaluate's scores, for experts to rate and correct.</summary>
    public StageSummary ExportReview(string predictDirectory, string evaluateDirectory, string outputDirectory) =>
        new(UserError(() => DataStages.ExportReview(Spec.Review, new PredictOutputs(predictDirectory).PredictionsPath,
            new EvaluateOutputs(evaluateDirectory).MetricsPath, outputDirectory)).SummaryPairs());

    /// <summary>The tokenizer Inspect renders with (the model's, found without downloading, or inspect.tokenizer).</summary>
    public string InspectTokenizer => UserError(() => TokenizerFolder.ForInspect(Spec.Inspect, Spec.Model, rootDirectory));

    /// <summary>The first train examples token by token as Train encodes them; the text view goes to the log.</summary>
    public StageSummary Inspect(string splitDirectory, string outputDirectory)
    {
        var result = UserError(() => DataStages.Inspect(new InspectRequest(Spec.Model, Spec.Inspect, Spec.Train.MaxSeqLength,
            Path.Combine(splitDirectory, DataStages.TrainFile), InspectTokenizer, outputDirectory), cancellation));
        Log.Information(result.TextView);
        return new StageSummary(result.SummaryPairs());
    }
}
