namespace Tuneforge.Pipeline.Protocol;

/// <summary>Versions of the engine code that computes each stage's result: the build salts its cache keys with them,
/// so bumping one reruns that stage. Bump when results would change (numerics, defaults, output format).</summary>
public static class EngineVersions
{
    public const string Train = "tuneforge-train/2";

    /// <summary>Corpus preparation and packing of <c>pretrain</c>; bump when the packed tokens would change.</summary>
    public const string Pretrain = "tuneforge-pretrain/1";

    /// <summary>Generation, perplexity and scoring of the Evaluate stage; bump when its results would change.</summary>
    public const string Evaluate = "tuneforge-evaluate/2";
}
