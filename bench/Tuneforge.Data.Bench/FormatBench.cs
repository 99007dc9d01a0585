using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using nietras.SeparatedValues;
using Parquet.Schema;
using Parquet.Serialization;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Bench;

/// <summary>The same synthetic records as JSONL, CSV and Parquet (row groups of 50,000), each cleaned with near
/// dedupe off so reading weighs more: seconds and records/s per format.</summary>
internal static class FormatBench
{
    public static void Run(int count)
    {
        var work = Directory.CreateTempSubdirectory("tuneforge-format-bench-").FullName;
        try
        {
            var jsonl = Path.Combine(work, "records.jsonl");
            SyntheticRecords.Write(jsonl, count, seed: 12345);
            var rows = File.ReadLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement)
                .Select(r => (Id: r.GetProperty("id").GetString()!, Category: r.TryGetProperty("category", out var c) ? c.GetString()! : "",
                    Instruction: r.GetProperty("instruction").GetString()!, Output: r.TryGetProperty("output", out var o) ? o.GetString()! : ""))
                .ToList();
            var csv = Path.Combine(work, "records.csv");
            using (var writer = Sep.Writer(o => o with { Sep = new Sep(','), Escape = true }).ToFile(csv))
                foreach (var (id, category, instruction, output) in rows)
                {
                    using var row = writer.NewRow();
                    row["id"].Set(id);
                    row["category"].Set(category);
                    row["instruction"].Set(instruction);
                    row["output"].Set(output);
                }
            var parquet = Path.Combine(work, "records.parquet");
            var schema = new ParquetSchema(new DataField<string>("id"), new DataField<string>("category"), new DataField<string>("instruction"), new DataField<string>("output"));
            using (var stream = File.Create(parquet))
                ParquetSerializer.SerializeUntypedAsync(rows.Select(r => (IDictionary<string, object?>)new Dictionary<string, object?>
                    { ["id"] = r.Id, ["category"] = r.Category, ["instruction"] = r.Instruction, ["output"] = r.Output }).ToList(),
                    schema, stream, new Parquet.ParquetOptions(), null).GetAwaiter().GetResult();

            Console.WriteLine($"Clean of {count:N0} synthetic records per format (near dedupe off); {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| format | file MiB | seconds | records/s | kept |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var file in new[] { jsonl, csv, parquet, jsonl, csv, parquet })
            {
                var output = Path.Combine(work, "out");
                var watch = Stopwatch.StartNew();
                var result = DataStages.Clean(new CleanRequest(new DataSpec { Sources = [file] }, new CleanSpec { NearDedupe = new NearDedupeSpec { Enabled = false } }, work, output));
                watch.Stop();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Path.GetExtension(file)[1..]} | {new FileInfo(file).Length / 1048576.0:0.0} | {watch.Elapsed.TotalSeconds:0.00} | {count / watch.Elapsed.TotalSeconds:N0} | {result.Stats.Kept:N0} |"));
                Directory.Delete(output, recursive: true);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
