using System.Security.Cryptography;
using System.Text;
using Tuneforge.Data.Training;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Engine.Training;

/// <summary>
/// What a train job resolves to before a weight is loaded: the model's location, the splits rendered and tokenized
/// with its chat template, and the fingerprint that lets a run resume only its own checkpoints. The native trainer
/// and the PyTorch worker's preparation both start here.
/// </summary>
/// <param name="Chat">The chat template the examples were rendered with: what is stored beside the trained weights.</param>
public sealed record TrainingSetup(ModelSpec ModelSpec, TrainSpec Spec, ModelLocation Location, ChatSetup Chat,
    IReadOnlyList<EncodedExample> Train, IReadOnlyList<EncodedExample> Val, DataSummary TrainSummary, DataSummary ValSummary, string Fingerprint)
{
    public static async Task<TrainingSetup> LoadAsync(EngineJob job, Action<EngineEvent> emit, CancellationToken cancellation)
    {
        var modelSpec = job.Section(job.Model, "model");
        var spec = job.Section(job.Train, "train");
        var location = await ModelLocation.ResolveAsync(modelSpec.Source, m => emit(new LogEvent(m)), cancellation);
        var tokenizer = HfTokenizer.Load(location.TokenizerDirectory);
        var chat = ChatSetup.From(modelSpec, tokenizer);
        var encoder = new ExampleEncoder(tokenizer, chat.Template, chat.Options, chat.SystemPrompt, spec.MaxSeqLength);

        var trainFile = job.Input(TrainStage.TrainInput);
        var valFile = job.OptionalInput(TrainStage.ValInput);
        var (train, trainSummary) = encoder.Encode(TrainingRecordReader.Read(trainFile));
        var (val, valSummary) = valFile is null ? ([], DataSummary.Empty) : encoder.Encode(TrainingRecordReader.Read(valFile));
        ReportData("train", trainSummary, spec.MaxSeqLength, emit);
        if (valFile is not null) ReportData("val", valSummary, spec.MaxSeqLength, emit);
        if (train.Count == 0) throw new EngineException($"{trainFile}: no example has a response token within max_seq_length ({spec.MaxSeqLength})", "Raise train.max_seq_length or check the split.");
        if (val.Count == 0 && (spec.LoadBestModelAtEnd || spec.EarlyStoppingPatience is not null))
            throw new EngineException("load_best_model_at_end and early_stopping_patience need validation examples, and the val split has none",
                "Give split.val a share > 0, or turn both off.");
        if (val.Count == 0 && spec.EvalStrategy != EvalStrategy.No)
            emit(new LogEvent("the val split is empty: no validation loss will be computed", "warning"));
        return new TrainingSetup(modelSpec, spec, location, chat, train, val, trainSummary, valSummary, RunFingerprint(job, location, trainFile, valFile));
    }

    private static void ReportData(string split, DataSummary summary, int maxSeqLength, Action<EngineEvent> emit)
    {
        emit(new LogEvent($"{split}: {summary.Examples} examples, {summary.Tokens:N0} tokens ({summary.TrainedTokens:N0} trained), longest {summary.LongestTokens}"));
        if (summary.Truncated > 0)
            emit(new LogEvent($"{split}: {summary.Truncated} example(s) were longer than max_seq_length {maxSeqLength} and were cut ({summary.TruncatedTokens:N0} tokens dropped)" +
                              (summary.Dropped > 0 ? $"; {summary.Dropped} lost every response token and were left out" : ""), "warning"));
    }

    // Of the train section, what TrainKey keeps: moving a run to another launcher or folder still resumes it.
    private static string RunFingerprint(EngineJob job, ModelLocation location, string trainFile, string? valFile)
    {
        var text = new StringBuilder()
            .AppendLine(TrainStage.Salt)
            .AppendLine(SpecJson.Canonical(job.Model))
            .AppendLine(TrainKey.Canonical(job.Train!))
            .AppendLine(location.Directory ?? location.Source)
            .AppendLine(FileHash(trainFile))
            .AppendLine(valFile is null ? "-" : FileHash(valFile));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
