using System.Text.Encodings.Web;
using System.Text.Json;
using Tuneforge.Files;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Metrics.Reporting;

/// <summary>Reads and writes <c>metrics.json</c>: keys in a fixed order, "\n" line ends, the same bytes for the same input.</summary>
public static class MetricsReportJson
{
    // Shared by every file of metrics (judge.json too): the same bytes for the same values.
    internal static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(MetricsReport report) => JsonSerializer.Serialize(report, Options) + "\n";

    /// <summary>Writes the report atomically: a temporary file in the same folder, renamed over the target.</summary>
    public static void Write(string path, MetricsReport report) => AtomicFile.WriteAllText(path, Serialize(report));

    /// <summary>Reads a report written by <see cref="Write"/>; a clear error names the file when it is not one.</summary>
    public static MetricsReport Read(string path)
    {
        try
        {
            var report = JsonSerializer.Deserialize<MetricsReport>(File.ReadAllText(path), Options);
            if (report?.Schema != MetricsReport.CurrentSchema)
                throw new InvalidDataException($"{path}: not a metrics report of schema {MetricsReport.CurrentSchema} (found \"{report?.Schema}\"): re-run scoring");
            return report;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: not a valid metrics report ({e.Message}): re-run scoring", e);
        }
    }
}
