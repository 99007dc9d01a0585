using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tuneforge.Data.Cleaning;
using Tuneforge.Data.Cleaning.Dedupe;
using Tuneforge.Data.Reading;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Bench;

/// <summary>Microseconds per record of each step of Clean's per-record work, on one thread (--phases).</summary>
internal static class Phases
{
    public static void Run(string input, int limit)
    {
        var lines = File.ReadLines(input).Take(limit).Select(l => System.Text.Encoding.UTF8.GetBytes(l)).ToList();
        var mapper = new RecordMapper(ColumnMap.From(new DataSpec()), "general");
        var hasher = new MinHasher(128);
        var lsh = new LshIndex(LshParameters.For(0.85, 128));
        var records = new List<CanonicalRecord>();
        var texts = new List<string>();
        var shingles = new List<uint[]>();
        var signatures = new List<uint[]>();
        Time("parse + map", () =>
        {
            foreach (var line in lines)
            {
                using var document = JsonDocument.Parse(line);
                var mapped = mapper.Map(document.RootElement, new RawRecord(line, new SourceLocation("x", 1), "x:1", false));
                if (mapped.Record is { } r) records.Add(r);
            }
        }, lines.Count);
        Time("normalize", () =>
        {
            foreach (var r in records)
                foreach (var m in r.Messages) TextNormalizer.Normalize(m.Content);
        }, records.Count);
        Time("keys", () =>
        {
            foreach (var r in records) ContentKeys.Of(r.Messages);
        }, records.Count);
        Time("shingles", () =>
        {
            foreach (var r in records) shingles.Add(ContentKeys.Shingles(r.Messages, 5));
        }, records.Count);
        Time("minhash", () =>
        {
            foreach (var s in shingles) signatures.Add(hasher.Signature(s));
        }, records.Count);
        Time("record json", () =>
        {
            foreach (var r in records) RecordJson.ToUtf8(r);
        }, records.Count);
        Time("lsh add + query", () =>
        {
            var found = 0;
            foreach (var s in signatures)
            {
                var keys = lsh.BandKeys(s);
                lsh.ForEachCandidate(keys, _ => found++);
                lsh.Add(keys);
            }
        }, records.Count);
    }

    static void Time(string name, Action action, int count)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        action();
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-16} {watch.Elapsed.TotalMilliseconds * 1000 / count,8:0.00} µs/record {allocated / (double)count,8:0} bytes/record"));
    }
}
