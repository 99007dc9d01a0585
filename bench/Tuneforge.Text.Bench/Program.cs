using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Tuneforge.Text;
using Tuneforge.Text.Bench;

// Tokenizer throughput: encode and decode MB/s on the parity corpus, per sample and as one document.
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

string[] samples = File.ReadAllLines(options.Corpus)
    .Where(line => line.Length > 0)
    .Select(line => JsonSerializer.Deserialize<string>(line)!)
    .ToArray();
string document = string.Join("\n", samples);
long corpusBytes = samples.Sum(s => (long)Encoding.UTF8.GetByteCount(s));
long documentBytes = Encoding.UTF8.GetByteCount(document);

Console.WriteLine($"corpus: {options.Corpus} ({samples.Length} samples, {corpusBytes:N0} UTF-8 bytes)");
Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; single thread; median of {options.Repeats} runs of >= {options.Seconds} s");
Console.WriteLine();
Console.WriteLine("| tokenizer | load | encode, cold first pass | encode per sample | encode one document | decode | tokens | bytes/token |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");

foreach (string directory in options.Tokenizers)
{
    var load = Stopwatch.StartNew();
    HfTokenizer tokenizer = HfTokenizer.Load(directory);
    double loadSeconds = load.Elapsed.TotalSeconds;

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
