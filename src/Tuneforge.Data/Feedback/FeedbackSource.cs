using Tuneforge.Data.Reading;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Feedback;

/// <summary>data.feedback in Clean: Serve's store exported as the export command writes it (feedback.jsonl in Clean's
/// output, kept for inspection), then read and split like data.sources; the loop serve → rate → Clean → train closed.</summary>
internal static class FeedbackSource
{
    public const string ExportFile = "feedback.jsonl";

    /// <summary>The store's files for Clean's key: the database and, while a server may still hold it, its write-ahead log.</summary>
    public static IEnumerable<string> Files(DataSpec data, string rootDirectory)
    {
        if (data.Feedback is not { } feedback) yield break;
        var database = DatabaseOf(feedback, rootDirectory);
        yield return database;
        if (File.Exists(database + "-wal")) yield return database + "-wal";
    }

    /// <summary>Exports the store into <paramref name="outputDirectory"/> and returns it as an input set; null without data.feedback.</summary>
    public static InputSet? Export(DataSpec data, string rootDirectory, string outputDirectory)
    {
        if (data.Feedback is not { } feedback) return null;
        var database = DatabaseOf(feedback, rootDirectory);
        var path = Path.Combine(outputDirectory, ExportFile);
        Directory.CreateDirectory(outputDirectory);
        using (var store = new FeedbackStore(database))
            FeedbackExporter.Export(store, path, feedback.MinRating, feedback.WithReasoning, feedback.Preferences);
        return new InputSet("data.feedback", [new DataFile(path, feedback.Database)], DataFormat.Jsonl,
            new RecordMapper(new ColumnMap(new Dictionary<string, string>()), data.DefaultCategory), RecordOrigin.Data, null);
    }

    static string DatabaseOf(FeedbackSourceSpec feedback, string rootDirectory)
    {
        var database = Path.GetFullPath(Path.Combine(rootDirectory, feedback.Database));
        if (string.IsNullOrWhiteSpace(feedback.Database) || !File.Exists(database))
            throw new DataException($"data.feedback.database: '{feedback.Database}' does not exist. Serve writes its store to artifacts/<pipeline>/serve/feedback.db " +
                                    "once answers are rated (./build.sh Serve, then POST /feedback); point data.feedback.database at it, or remove data.feedback.");
        return database;
    }
}
