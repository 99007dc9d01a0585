using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Tuneforge.Text.Bench;

/// <summary>
/// Chat-template rendering speed: each tokenizer template of the parity fixtures renders the fixtures' conversations as
/// text, as a generation prompt, and as training segments (the loss mask by prefix rendering). Run:
/// <c>dotnet run -c Release --project bench/Tuneforge.Text.Bench -- templates [--seconds S] [--repeats N]</c>.
/// </summary>
internal static class TemplateBench
{
    private static readonly string[] Files = ["deepseek_v3.json", "qwen3.json", "llama3_1.json", "gemma3.json"];

    public static int Run(BenchOptions options)
    {
        string folder = Path.Combine(options.Root, "tests", "Tuneforge.Text.Tests", "JinjaParity", "fixtures");
        Console.WriteLine($"fixtures: {folder}");
        Console.WriteLine($"single thread; median of {options.Repeats} runs of >= {options.Seconds} s; µs per conversation (mean over the set)");
        Console.WriteLine();
        Console.WriteLine("| template | conversations | load (parse, check, probe) | text | generation prompt | training segments (mask) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (string file in Files)
        {
            JsonObject fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))!.AsObject();
            string source = fixture["template"]!.GetValue<string>();
            JsonObject first = fixture["cases"]![0]!["variables"]!.AsObject();
            string? bos = first["bos_token"]?.GetValue<string>();
            string? eos = first["eos_token"]?.GetValue<string>();
            JinjaChatTemplate Load() => new(source, file, bos, eos);
            JinjaChatTemplate template = Load();

            // One case per conversation (generation prompt off, thinking unset) that the template renders and can mask.
            var conversations = new List<(ChatMessage[] Messages, ChatRenderOptions Options)>();
            foreach (JsonObject c in fixture["cases"]!.AsArray().Select(n => n!.AsObject()))
            {
                string id = c["id"]!.GetValue<string>();
                if (id.Contains('+', StringComparison.Ordinal) || c["expected"]!["output"] is null)
                {
                    continue;
                }

                ChatMessage[] messages = c["variables"]!["messages"]!.AsArray().Select(m => ChatMessageJson.Read(m!.AsObject())).ToArray();
                var renderOptions = new ChatRenderOptions { Tools = c["variables"]!["tools"]?.AsArray().Select(t => t!.AsObject()).ToArray() };
                if (Try(() => template.RenderSegments(messages, renderOptions)))
                {
                    conversations.Add((messages, renderOptions));
                }
            }

            double load = MedianMicroseconds(1, () => Load(), options);
            double text = MedianMicroseconds(conversations.Count, () => conversations.ForEach(c => template.RenderText(c.Messages, c.Options)), options);
            double prompt = MedianMicroseconds(conversations.Count, () => conversations.ForEach(c => template.RenderPromptText(c.Messages, c.Options)), options);
            double segments = MedianMicroseconds(conversations.Count, () => conversations.ForEach(c => template.RenderSegments(c.Messages, c.Options)), options);
            Console.WriteLine($"| {Path.GetFileNameWithoutExtension(file)} | {conversations.Count} | {load:F0} µs | {text:F1} µs | {prompt:F1} µs | {segments:F1} µs |");
        }

        return 0;
    }

    private static bool Try(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (ChatTemplateException)
        {
            return false;
        }
    }

    private static double MedianMicroseconds(int itemsPerPass, Action pass, BenchOptions options)
    {
        pass();
        var times = new List<double>();
        for (int r = 0; r < options.Repeats; r++)
        {
            int passes = 0;
            var watch = Stopwatch.StartNew();
            do
            {
                pass();
                passes++;
            }
            while (watch.Elapsed.TotalSeconds < options.Seconds);

            times.Add(watch.Elapsed.TotalMicroseconds / passes / itemsPerPass);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
