using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Tuneforge.Text;
using Tuneforge.Text.Bench;

// Tokenizer throughput: encode and decode MB/s on the parity corpus, per sample and as one document
// (with "templates": chat-template rendering speed, TemplateBench).
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.Templates)
{
    return TemplateBench.Run(options);
}

string[] samples = File.ReadAllLines(options.Corpus)
    .Where(line => line.Length > 0)
    .Select(line => JsonSerializer.Deserialize<string>(line)!)
    .ToArray();
string document = string.Join("\n", samples);
long corpusBytes = samples.Sum(s => (long)Encoding.UTF8.GetByteCount(s));
long documentBytes = Encoding.UTF8.GetByteCount(document);

Console.WriteLine($"corpus: {options.Corpus} ({samples.Length} samples, {corpusBytes:N0} UTF-8 bytes)");
string loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average {loadAverage} at start");
Console.WriteLine($"single thread; median of {options.Repeats} runs of >= {options.Seconds} s; MB = 10^6 bytes of UTF-8 text");
Console.WriteLine();
Console.WriteLine("| tokenizer | load | encode, first pass (empty word cache) | encode per sample | encode one document | decode | tokens | bytes/token |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");

foreach (string directory in options.Tokenizers)
{
    var load = Stopwatch.StartNew();
    HfTokenizer tokenizer = HfTokenizer.Load(directory);
    double loadSeconds = load.Elapsed.TotalSeconds;

    // JIT first on text outside the corpus, so the first pass measures an empty word cache, not compilation.
    tokenizer.Encode("Warm-up: 编译 123 😀 <think>\n");
    double cold = Throughput.OnceMegabytesPerSecond(corpusBytes, () =>
    {
        foreach (string sample in samples)
        {
            tokenizer.Encode(sample);
        }
    });

    int[][] ids = samples.Select(tokenizer.Encode).ToArray();
    long tokens = ids.Sum(x => (long)x.Length);

    double perSample = Throughput.MedianMegabytesPerSecond(corpusBytes, () =>
    {
        foreach (string sample in samples)
        {
            tokenizer.Encode(sample);
        }
    }, options.Seconds, options.Repeats);

    double whole = Throughput.MedianMegabytesPerSecond(documentBytes, () => tokenizer.Encode(document), options.Seconds, options.Repeats);

    double decode = Throughput.MedianMegabytesPerSecond(corpusBytes, () =>
    {
        foreach (int[] sampleIds in ids)
        {
            tokenizer.Decode(sampleIds);
        }
    }, options.Seconds, options.Repeats);

    Console.WriteLine(
        $"| {Path.GetFileName(Path.TrimEndingDirectorySeparator(directory))} | {loadSeconds:F2} s | {cold:F2} MB/s | {perSample:F2} MB/s | " +
        $"{whole:F2} MB/s | {decode:F1} MB/s | {tokens:N0} | {corpusBytes / (double)tokens:F2} |");
}

return 0;
