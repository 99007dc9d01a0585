namespace Tuneforge.Metrics.Tests.Bleu;

/// <summary>The example of sacreBLEU's README ("Using SacreBLEU from Python") and test/test_bleu.py.</summary>
internal static class SacreBleuExamples
{
    public static readonly string[] Hypotheses = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];

    /// <summary>Two reference streams, as sacreBLEU takes them.</summary>
    public static readonly string?[][] ReferenceStreams =
    [
        ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
        ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
    ];

    /// <summary>sacreBLEU's streams turned into one list of references per hypothesis.</summary>
    public static IReadOnlyList<IReadOnlyList<string?>> PerHypothesis(string?[][] streams) =>
        Enumerable.Range(0, streams[0].Length).Select(i => (IReadOnlyList<string?>)streams.Select(s => s[i]).ToArray()).ToList();

    public static IReadOnlyList<IReadOnlyList<string>> PerHypothesisNonNull(string[][] streams) =>
        Enumerable.Range(0, streams[0].Length).Select(i => (IReadOnlyList<string>)streams.Select(s => s[i]).ToArray()).ToList();
}
