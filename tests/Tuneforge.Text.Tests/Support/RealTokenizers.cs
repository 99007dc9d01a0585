namespace Tuneforge.Text.Tests;

/// <summary>The shipped DeepSeek and Qwen3 tokenizers and their Hugging Face references, each loaded once per test run.</summary>
public sealed class RealTokenizers : IDisposable
{
    private readonly Lazy<HfTokenizer> _deepSeek = new(() => HfTokenizer.Load(RepositoryPaths.DeepSeekTokenizer));
    private readonly Lazy<HfTokenizer> _qwen = new(() => HfTokenizer.Load(RepositoryPaths.QwenTokenizer));
    private readonly Lazy<Tokenizers.DotNet.Tokenizer> _deepSeekReference =
        new(() => new Tokenizers.DotNet.Tokenizer(Path.Combine(RepositoryPaths.DeepSeekTokenizer, "tokenizer.json")));
    private readonly Lazy<Tokenizers.DotNet.Tokenizer> _qwenReference =
        new(() => new Tokenizers.DotNet.Tokenizer(Path.Combine(RepositoryPaths.QwenTokenizer, "tokenizer.json")));

    public HfTokenizer DeepSeek => _deepSeek.Value;

    public HfTokenizer Qwen => _qwen.Value;

    public Tokenizers.DotNet.Tokenizer DeepSeekReference => _deepSeekReference.Value;

    public Tokenizers.DotNet.Tokenizer QwenReference => _qwenReference.Value;

    public void Dispose()
    {
        if (_deepSeekReference.IsValueCreated)
        {
            _deepSeekReference.Value.Dispose();
        }

        if (_qwenReference.IsValueCreated)
        {
            _qwenReference.Value.Dispose();
        }
    }
}

/// <summary>Test classes that share <see cref="RealTokenizers"/> (loading each takes most of a second).</summary>
[CollectionDefinition(Name)]
public sealed class RealTokenizersCollection : ICollectionFixture<RealTokenizers>
{
    public const string Name = "Real tokenizers";
}
