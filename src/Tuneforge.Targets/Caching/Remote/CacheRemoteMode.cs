namespace Tuneforge.Targets;

/// <summary>What a build does with its remote cache: nothing, only download entries, or also upload what it computes.</summary>
public enum CacheRemoteMode
{
    Off,
    Read,
    ReadWrite,
}
