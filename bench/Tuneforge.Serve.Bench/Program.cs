using System.Globalization;
using System.Text.RegularExpressions;
using Tuneforge.Serve.Bench;

// Load on tuneforge-engine serve over loopback: throughput, latency and time to first token per number of clients.
//   dotnet run -c Release --project bench/Tuneforge.Serve.Bench -- --model DIR [--seconds 60] [--clients 1,8,64]
//   dotnet run -c Release --project bench/Tuneforge.Serve.Bench -- --gguf FILE --max-queue 8 --clients 64
// Options after the known ones go to the server unchanged (e.g. --max-batch-size 16 --threads 2).
var options = args.ToList();
string Take(string name, string fallback)
{
    var at = options.IndexOf(name);
    if (at < 0) return fallback;
    var value = options[at + 1];
    options.RemoveRange(at, 2);
    return value;
}
if (options.Contains("--help") || options.Count == 0)
{
    Console.WriteLine("usage: Tuneforge.Serve.Bench (--model DIR | --gguf FILE) [--seconds 60] [--clients 1,8,64] [--max-tokens 32] [--timeout 120] [--temperature T] [serve options...]");
    return;
}
var seconds = double.Parse(Take("--seconds", "60"), CultureInfo.InvariantCulture);
var clients = Take("--clients", "1,8,64").Split(',').Select(int.Parse).ToArray();
var maxTokens = int.Parse(Take("--max-tokens", "32"), CultureInfo.InvariantCulture);
var timeout = TimeSpan.FromSeconds(double.Parse(Take("--timeout", "120"), CultureInfo.InvariantCulture));
var temperatureText = Take("--temperature", "");
double? temperature = temperatureText.Length > 0 ? double.Parse(temperatureText, CultureInfo.InvariantCulture) : null;
var serveArguments = options.Concat(["--no-feedback"]).ToList();

await using var server = new ServerProcess(serveArguments);
await server.Ready.WaitAsync(TimeSpan.FromMinutes(5));
using var http = new HttpClient { BaseAddress = server.BaseAddress };
Console.WriteLine($"serve {string.Join(' ', serveArguments)}; {seconds:0} s per point, max_tokens {maxTokens}, temperature {temperatureText.Length switch { 0 => "of the model", _ => temperatureText }}, streaming; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
await LoadRun.RunAsync(server.BaseAddress, 2, TimeSpan.FromSeconds(3), maxTokens, timeout);   // warm-up: JIT, first batches
Console.WriteLine("| clients | requests ok | 429 | 5xx | timeouts | req/s | tokens/s | latency p50 / p95 / p99 (s) | TTFT p50 / p95 / p99 (s) | mean batch |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|---|---:|");
foreach (var count in clients)
{
    var before = await BatchesAsync(http);
    var started = DateTime.UtcNow;
    var samples = await LoadRun.RunAsync(server.BaseAddress, count, TimeSpan.FromSeconds(seconds), maxTokens, timeout, temperature);
    var elapsed = (DateTime.UtcNow - started).TotalSeconds;
    var after = await BatchesAsync(http);
    var ok = samples.Where(s => s.Status == 200).ToList();
    var latency = ok.Select(s => s.Seconds).Order().ToList();
    var firstToken = ok.Where(s => s.FirstTokenSeconds is not null).Select(s => s.FirstTokenSeconds!.Value).Order().ToList();
    var batch = after.Count > before.Count ? (after.Sum - before.Sum) / (after.Count - before.Count) : 0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {count} | {ok.Count} | {samples.Count(s => s.Status == 429)} | {samples.Count(s => s.Status >= 500 || s.Status == -1)} | {samples.Count(s => s.TimedOut)} " +
        $"| {ok.Count / elapsed:0.00} | {ok.Sum(s => s.Tokens) / elapsed:0.0} | {P(latency, 50)} / {P(latency, 95)} / {P(latency, 99)} " +
        $"| {P(firstToken, 50)} / {P(firstToken, 95)} / {P(firstToken, 99)} | {batch:0.0} |"));
}
Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

static string P(List<double> sorted, int percentile) =>
    sorted.Count == 0 ? "-" : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)].ToString("0.00", CultureInfo.InvariantCulture);

// Sequences per decode step (GGUF) or requests per batch (engine), from the server's own histogram.
static async Task<(double Count, double Sum)> BatchesAsync(HttpClient http)
{
    var metrics = await http.GetStringAsync("metrics");
    double Value(string name) => double.Parse(Regex.Match(metrics, $@"^{name} (\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
    return (Value("tuneforge_batch_size_count"), Value("tuneforge_batch_size_sum"));
}
