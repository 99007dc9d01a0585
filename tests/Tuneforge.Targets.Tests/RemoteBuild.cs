using Tuneforge.Targets;

namespace Tuneforge.Targets.Tests;

/// <summary>Three cached targets in a chain, as the remote cache tests share them between clones: A reads a data file
/// and writes two files (one in a subfolder), B and C transform their upstream's output.</summary>
public class RemoteBuild : NukeBuild
{
    Target A => _ => _
        .Cached(c => c.File("data/input.txt").Salt("a/1").Publish("artifacts/remote/a"))
        .Executes(() =>
        {
            Trace.Executed.Add("A");
            var input = File.ReadAllText(RootDirectory / "data" / "input.txt");
            File.WriteAllText(Output(A) / "a.txt", input.ToUpperInvariant());
            Directory.CreateDirectory(Output(A) / "sub");
            File.WriteAllBytes(Output(A) / "sub" / "nested.bin", Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray());
            ReportSummary(("chars", input.Length.ToString()));
        });

    Target B => _ => _
        .DependsOn(A)
        .Cached(c => c.Upstream(A).Salt("b/1"))
        .Executes(() =>
        {
            Trace.Executed.Add("B");
            File.WriteAllText(Output(B) / "b.txt", File.ReadAllText(Output(A) / "a.txt") + "+b");
        });

    Target C => _ => _
        .DependsOn(B)
        .Cached(c => c.Upstream(B).Salt("c/1"))
        .Executes(() =>
        {
            Trace.Executed.Add("C");
            File.WriteAllText(Output(C) / "c.txt", File.ReadAllText(Output(B) / "b.txt") + "+c");
        });
}
