using System.Text.Json.Nodes;
using Tuneforge.Reports.Input;

namespace Tuneforge.Stages.Evaluation;

/// <summary>Reads the loss history out of a trainer_state.json (Hugging Face's shape: <c>log_history</c> entries
/// with <c>loss</c> or <c>eval_loss</c> at a <c>step</c>).</summary>
public static class TrainerState
{
    public const string FileName = "trainer_state.json";

    public static TrainingHistory? ReadHistory(string trainDirectory)
    {
        var path = Path.Combine(trainDirectory, FileName);
        if (!File.Exists(path)) return null;
        if (JsonNode.Parse(File.ReadAllText(path))?["log_history"] is not JsonArray log) return null;
        var train = new List<LossPoint>();
        var eval = new List<LossPoint>();
        foreach (var entry in log.OfType<JsonObject>())
        {
            if (entry["step"]?.GetValue<int>() is not { } step) continue;
            if (entry["loss"] is JsonValue loss) train.Add(new LossPoint(step, loss.GetValue<double>()));
            if (entry["eval_loss"] is JsonValue evalLoss) eval.Add(new LossPoint(step, evalLoss.GetValue<double>()));
        }
        return new TrainingHistory(train, eval);
    }
}
