using Tuneforge.Data.Cleaning;
using Tuneforge.Data.Reading;
using Tuneforge.Data.Splitting;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data;

/// <summary>What Clean needs: the data and clean sections, where relative paths start, and where to write.</summary>
/// <param name="TokenizerDirectory">A folder with tokenizer.json for the token filters (see <see cref="TokenizerFolder"/>).</param>
public sealed record CleanRequest(DataSpec Data, CleanSpec Clean, string RootDirectory, string OutputDirectory, string? TokenizerDirectory = null);

/// <summary>What Clean did; the files are in <paramref name="OutputDirectory"/>.</summary>
public sealed record CleanResult(CleanStats Stats, string OutputDirectory);

/// <summary>The data stages of the pipeline. Errors the user can fix are <see cref="DataException"/>s.</summary>
public static class DataStages
{
    /// <summary>Clean's records, one JSON object per line (see <see cref="Records.RecordJson"/>).</summary>
    public const string CleanFile = "clean.jsonl";

    /// <summary>Split's parts, in the same line format as clean.jsonl.</summary>
    public const string TrainFile = "train.jsonl";
    public const string ValFile = "val.jsonl";
    public const string TestFile = "test.jsonl";

    /// <summary>Reads data.sources, cleans, and writes clean.jsonl, rejects.jsonl, conflicts.jsonl, stats.json and
    /// summary.md into the output folder.</summary>
    public static CleanResult Clean(CleanRequest request, CancellationToken cancellation = default)
    {
        var sets = InputSet.All(request.Data, request.RootDirectory);
        if (Feedback.FeedbackSource.Export(request.Data, request.RootDirectory, request.OutputDirectory) is { } feedback) sets = [.. sets, feedback];
        var clean = request.Clean;
        if ((clean.MinTokens is not null || clean.MaxTokens is not null) && request.TokenizerDirectory is null)
            throw new DataException("clean.min_tokens/max_tokens need a tokenizer: set clean.tokenizer to a folder with tokenizer.json.");
        var tokenizer = request.TokenizerDirectory is null ? null : LoadTokenizer(request.TokenizerDirectory);
        var reviews = Review.ReviewImport.Load(request.Data, request.RootDirectory);
        var (stats, _) = CleanStage.Run(sets, request.Data, clean, tokenizer, request.OutputDirectory, cancellation, reviews);
        return new CleanResult(stats, request.OutputDirectory);
    }

    /// <summary>Throws a <see cref="DataException"/> when the Clean of <paramref name="request"/> (its outputs in the
    /// request's output folder, shown to the user as <paramref name="shownDirectory"/>) kept fewer than clean.min_records:
    /// what was read, what was rejected and why, and where the rejects are.</summary>
    public static void CheckKept(CleanRequest request, string shownDirectory) =>
        KeptRecordsCheck.Check(request.OutputDirectory, request.Clean, shownDirectory,
            DataSources.Resolve(request.Data.Sources, request.RootDirectory).Select(f => f.DisplayPath).ToList());

    /// <summary>The data files a Clean of this spec reads: data.sources, data.mix, data.reviews and data.feedback's store (for cache keys).</summary>
    public static IReadOnlyList<string> SourceFiles(DataSpec data, string rootDirectory) =>
        [.. InputSet.All(data, rootDirectory).SelectMany(s => s.Files).Select(f => f.FullPath),
            .. data.Reviews.Count == 0 ? [] : DataSources.Resolve(data.Reviews, rootDirectory, "data.reviews").Select(f => f.FullPath),
            .. Feedback.FeedbackSource.Files(data, rootDirectory)];

    /// <summary>Writes the review sheet (review.csv and/or review.xlsx) of Evaluate's test answers for experts to fill in;
    /// data.reviews reads it back.</summary>
    public static Review.ReviewExportResult ExportReview(ReviewSpec spec, string predictionsFile, string metricsFile, string outputDirectory) =>
        Review.ReviewSheetWriter.Write(spec, predictionsFile, metricsFile, outputDirectory);

    /// <summary>Splits clean.jsonl into train.jsonl, val.jsonl and test.jsonl plus split.json; balances the train part
    /// (split.balance) and mixes data.mix's records into it.</summary>
    public static SplitResult Split(SplitSpec spec, DataSpec data, string cleanFile, string outputDirectory, CancellationToken cancellation = default) =>
        SplitStage.Run(spec, data, cleanFile, outputDirectory, cancellation);

    /// <summary>Splits a clean.jsonl without data.mix records.</summary>
    public static SplitResult Split(SplitSpec spec, string cleanFile, string outputDirectory, CancellationToken cancellation = default) =>
        SplitStage.Run(spec, new DataSpec(), cleanFile, outputDirectory, cancellation);

    /// <summary>The train part token by token as Train encodes it: inspect.html, inspect.txt, inspect.json.</summary>
    public static Inspection.InspectResult Inspect(Inspection.InspectRequest request, CancellationToken cancellation = default) =>
        Inspection.InspectStage.Run(request, cancellation);

    static HfTokenizer LoadTokenizer(string directory)
    {
        try
        {
            return HfTokenizer.Load(directory);
        }
        catch (TokenizerLoadException e)
        {
            throw new DataException($"clean.tokenizer: {e.Message}", e);
        }
    }
}
