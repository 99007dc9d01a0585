using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Tuneforge.Serve.Bench;

/// <summary>One request's outcome as the client saw it.</summary>
internal sealed record Sample(int Status, double Seconds, double? FirstTokenSeconds, int Tokens, bool TimedOut);

/// <summary>
/// A closed loop of <c>clients</c> streaming chat completions for a fixed time: each client sends its next request as soon
/// as the previous one ends (after a refusal it waits for Retry-After, at most 1 s). Requests still running at the end
/// are awaited and counted.
/// </summary>
internal static class LoadRun
{
    private static readonly string[] Questions =
    [
        "发票多久能开？", "How do I return an opened item?", "我的订单什么时候发货？", "Can I change the delivery address after paying?",
        "退款需要几天到账？", "Do you ship to Hong Kong?", "商品有质量问题怎么办？", "What payment methods do you accept?",
    ];

    public static async Task<List<Sample>> RunAsync(Uri server, int clients, TimeSpan duration, int maxTokens, TimeSpan timeout, double? temperature = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients + 4, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = server,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var samples = new List<Sample>();
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var sent = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var sample = await OneAsync(http, Questions[(client + sent++) % Questions.Length], maxTokens, timeout, temperature);
                lock (samples) samples.Add(sample);
                if (sample.Status == 429) await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }));
        return samples;
    }

    private static async Task<Sample> OneAsync(HttpClient http, string question, int maxTokens, TimeSpan timeout, double? temperature)
    {
        var body = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }),
            ["max_tokens"] = maxTokens,
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        if (temperature is { } value) body["temperature"] = value;   // else the model's generation_config.json
        var start = Stopwatch.GetTimestamp();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await response.Content.ReadAsStringAsync(cancel.Token);
                return new Sample((int)response.StatusCode, Seconds(start), null, 0, false);
            }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            double? first = null;
            var tokens = 0;
            var status = 200;
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]") continue;
                var chunk = JsonNode.Parse(line["data: ".Length..])!;
                if (chunk["error"] is not null) status = 503;   // an error after the stream began (timeout): counted as a 5xx
                var delta = chunk["choices"]?.AsArray().FirstOrDefault()?["delta"];
                if (first is null && (delta?["content"]?.GetValue<string>().Length > 0 || delta?["reasoning_content"]?.GetValue<string>().Length > 0))
                    first = Seconds(start);
                if (chunk["usage"] is { } usage) tokens = usage["completion_tokens"]!.GetValue<int>();
            }
            return new Sample(status, Seconds(start), first, tokens, false);
        }
        catch (OperationCanceledException)
        {
            return new Sample(0, Seconds(start), null, 0, true);
        }
        catch (HttpRequestException)
        {
            return new Sample(-1, Seconds(start), null, 0, false);
        }
    }

    private static double Seconds(long start) => Stopwatch.GetElapsedTime(start).TotalSeconds;
}
