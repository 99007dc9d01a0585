namespace Tuneforge.Packaging;

/// <summary>Version of the code that lays out a release; the Package target salts its cache key with it. Bump when the archive's bytes would change.</summary>
public static class PackagingVersion
{
    public const string Current = "tuneforge-package/4"; // 4: the card states the decoding Evaluate used; Modelfiles come from the trained template
}
