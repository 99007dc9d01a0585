using Tuneforge.Data.Reading;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Cleaning;

/// <summary>Runs Clean: reads the sources, prepares records in parallel batches, and decides them one by one in
/// input order (so the result does not depend on threads) while the next batch is prepared.</summary>
internal static class CleanStage
{
    const int BatchSize = 4096;

    public static (CleanStats Stats, Dedupe.LshParameters? Lsh) Run(IReadOnlyList<InputSet> sets, DataSpec data, CleanSpec clean,
        HfTokenizer? tokenizer, string outputDirectory, CancellationToken cancellation, Review.ReviewImport? reviews = null)
    {
        var near = clean.NearDedupe.Enabled
            ? new Dedupe.NearDuplicateIndex(clean.NearDedupe.Threshold, Dedupe.LshParameters.For(clean.NearDedupe.Threshold, clean.NearDedupe.NumPerm))
            : null;
        var preparer = new RecordPreparer(clean, tokenizer, near);
        using var outputs = new CleanOutputs(outputDirectory);
        var decider = new CleanDecider(data, clean, outputs, near, reviews);

        Task<PreparedRecord[]>? pending = null;
        foreach (var batch in DatasetReader.Read(sets).Chunk(BatchSize))
        {
            cancellation.ThrowIfCancellationRequested();
            var next = Task.Run(() => Prepare(preparer, batch), cancellation);
            if (pending is not null) DecideAll(decider, pending);
            pending = next;
        }
        if (pending is not null) DecideAll(decider, pending);
        if (reviews is not null)
        {
            reviews.CheckAllMatched();
            foreach (var batch in decider.Corrections.ToList().Chunk(BatchSize)) DecideAll(decider, Task.FromResult(Prepare(preparer, batch)));
            using var ratings = outputs.Create(Metrics.Human.ExpertRatingsJson.FileName);
            ratings.Write(Metrics.Human.ExpertRatingsJson.Utf8(reviews.Ratings()));
        }

        outputs.FinishKept(decider);
        var stats = decider.Statistics();
        using (var stream = outputs.Create(CleanOutputs.StatsFile)) CleanStatsJson.Write(stream, stats, clean, decider.Lsh);
        outputs.WriteText(CleanOutputs.SummaryFile, CleanSummary.Render(stats, clean, decider.Conflicts.Groups));
        outputs.Commit();
        return (stats, decider.Lsh);
    }

    static PreparedRecord[] Prepare(RecordPreparer preparer, RawRecord[] batch)
    {
        var prepared = new PreparedRecord[batch.Length];
        Parallel.For(0, batch.Length, i => prepared[i] = preparer.Prepare(batch[i]));
        return prepared;
    }

    static void DecideAll(CleanDecider decider, Task<PreparedRecord[]> batch)
    {
        foreach (var record in batch.GetAwaiter().GetResult()) decider.Decide(record);
    }
}
