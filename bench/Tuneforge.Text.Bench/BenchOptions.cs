namespace Tuneforge.Text.Bench;

/// <summary>Command-line options: <c>templates</c> (the chat-template bench), <c>--seconds</c>, <c>--repeats</c>, <c>--corpus</c>, <c>--tokenizer</c> (repeatable).</summary>
internal sealed record BenchOptions(double Seconds, int Repeats, string Corpus, IReadOnlyList<string> Tokenizers, string Root, bool Templates)
{
    public static BenchOptions Parse(string[] args)
    {
        string root = FindRoot();
        double seconds = 2;
        int repeats = 5;
        string corpus = Path.Combine(root, "tests", "Tuneforge.Text.Tests", "TestData", "parity-corpus.jsonl");
        var tokenizers = new List<string>();
        bool templates = args.Length > 0 && args[0] == "templates";
        for (int i = templates ? 1 : 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--seconds": seconds = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--corpus": corpus = Value(); break;
                case "--tokenizer": tokenizers.Add(Value()); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Usage: [templates] --seconds N --repeats N --corpus FILE.jsonl --tokenizer DIR");
            }
        }

        if (tokenizers.Count == 0)
        {
            tokenizers.Add(Path.Combine(root, "data", "tokenizers", "deepseek-r1"));
            tokenizers.Add(Path.Combine(root, "data", "tokenizers", "qwen3"));
        }

        return new BenchOptions(seconds, repeats, corpus, tokenizers, root, templates);
    }

    private static string FindRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Tuneforge.slnx")))
                {
                    return directory.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
