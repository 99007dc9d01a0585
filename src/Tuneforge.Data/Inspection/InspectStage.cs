using System.Text.Json;
using Tuneforge.Data.Cleaning;
using Tuneforge.Data.Output;
using Tuneforge.Data.Records;
using Tuneforge.Data.Training;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Inspection;

/// <summary>What Inspect needs: the model section (template, system prompt, reasoning policy), inspect and
/// max_seq_length settings, the train part and the tokenizer folder.</summary>
public sealed record InspectRequest(ModelSpec Model, InspectSpec Inspect, int MaxSeqLength, string TrainFile, string TokenizerDirectory, string OutputDirectory);

/// <summary>Renders every train record with the encoder Train uses (<see cref="ExampleEncoder"/>) and writes
/// inspect.html, inspect.txt and inspect.json. No libtorch: tokenizer and templates only.</summary>
internal static class InspectStage
{
    public const string HtmlFile = "inspect.html", TextFile = "inspect.txt", JsonFile = "inspect.json";

    public static InspectResult Run(InspectRequest request, CancellationToken cancellation)
    {
        if (!File.Exists(request.TrainFile)) throw new DataException($"{request.TrainFile} does not exist; run Split first (./build.sh Split).");
        var tokenizer = LoadTokenizer(request.TokenizerDirectory);
        ChatSetup chat;
        try
        {
            chat = ChatSetup.From(request.Model, tokenizer);
        }
        catch (ChatTemplateException e)
        {
            throw new DataException($"model.chat_template: {e.Message}", e);
        }
        var encoder = new ExampleEncoder(tokenizer, chat, request.MaxSeqLength);
        var fileName = Path.GetFileName(request.TrainFile);
        var lengths = new List<int>();
        var examples = new List<ExampleView>();
        var (truncated, truncatedTokens, dropped, trained) = (0, 0L, 0, 0L);
        var lineNumber = 0;
        foreach (var record in RecordJson.ReadFile(request.TrainFile))
        {
            if ((++lineNumber & 0xFF) == 0) cancellation.ThrowIfCancellationRequested();
            var location = $"{fileName}:{lineNumber}";
            var training = new TrainingRecord(record.Id, record.Messages, location);
            TokenizedExample rendered;
            try
            {
                rendered = encoder.Render(training);
            }
            catch (ChatTemplateException e)
            {
                throw new DataException(e.Message, e);
            }
            lengths.Add(rendered.Length);
            var example = encoder.Truncate(record.Id, rendered);
            if (example.Truncated)
            {
                truncated++;
                truncatedTokens += rendered.Length - example.Length;
                if (example.TrainedTokens == 0) dropped++;
            }
            trained += example.TrainedTokens;
            if (examples.Count < request.Inspect.Examples)
                examples.Add(ExampleView.Of(record.Id, $"{record.Source} → {location}", rendered, request.MaxSeqLength, tokenizer));
        }
        var result = new InspectResult(examples, LengthDistribution.Of(lengths), lengths.Count, request.MaxSeqLength, truncated, truncatedTokens, dropped, trained,
            chat.Template.Name, request.OutputDirectory);
        result = result with { TextView = InspectText.Render(result) };

        Directory.CreateDirectory(request.OutputDirectory);
        using var files = new AtomicFiles(request.OutputDirectory);
        files.WriteText(HtmlFile, InspectHtml.Render(result));
        files.WriteText(TextFile, result.TextView);
        using (var stream = files.Create(JsonFile)) WriteJson(stream, result);
        files.Commit();
        return result;
    }

    static void WriteJson(Stream stream, InspectResult result)
    {
        using var json = new Utf8JsonWriter(stream, RecordJson.WriterOptions with { Indented = true });
        json.WriteStartObject();
        json.WriteString("version", DataVersion.Inspect);
        json.WriteString("template", result.TemplateName);
        json.WriteNumber("records", result.Records);
        json.WriteNumber("max_seq_length", result.MaxSeqLength);
        json.WriteNumber("truncated", result.Truncated);
        json.WriteNumber("truncated_tokens", result.TruncatedTokens);
        json.WriteNumber("dropped", result.Dropped);
        json.WriteNumber("trained_tokens", result.TrainedTokens);
        CleanStatsJson.WriteDistribution(json, "tokens", result.Lengths);
        json.WriteStartArray("examples");
        foreach (var example in result.Examples)
        {
            json.WriteStartObject();
            json.WriteString("id", example.Id);
            json.WriteNumber("tokens", example.Length);
            json.WriteNumber("trained", example.TrainedTokens);
            json.WriteBoolean("truncated", example.Truncated);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    static HfTokenizer LoadTokenizer(string directory)
    {
        try
        {
            return HfTokenizer.Load(directory);
        }
        catch (TokenizerLoadException e)
        {
            throw new DataException($"inspect.tokenizer: {e.Message}", e);
        }
    }
}
