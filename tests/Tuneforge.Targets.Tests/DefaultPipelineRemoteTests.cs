using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Tuneforge.Targets.Tests;

/// <summary>The repository's own build, Clean and Split of the default pipeline, in two clones sharing a remote cache:
/// the second clone computes nothing.</summary>
[Collection(RemoteServersCollection.Name)]
public class DefaultPipelineRemoteTests(RemoteServers servers) : IDisposable
{
    readonly TempRoot scratch = new();

    public void Dispose() => scratch.Dispose();

    // What Clean and Split read: the pipeline and the data (linked, not copied: the keys hash content, by relative path).
    TempRoot Clone()
    {
        var root = new TempRoot();
        Directory.CreateDirectory(root.File("pipelines"));
        File.Copy(Path.Combine(Repository.Root, "pipelines", "default.yaml"), root.File("pipelines/default.yaml"));
        Directory.CreateDirectory(root.File("data"));
        foreach (var folder in new[] { "samples", "tokenizers" })
            Directory.CreateSymbolicLink(root.File($"data/{folder}"), Path.Combine(Repository.Root, "data", folder));
        return root;
    }

    static string Build(TempRoot root, TestRemote remote)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root.Path };
        foreach (var a in new[] { Repository.BuildAssembly, "Clean", "Split", "--root", root.Path }.Concat(remote.Arguments)) start.ArgumentList.Add(a);
        foreach (var (name, value) in remote.Environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(180_000), "the build did not finish in 180 s");
        var output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, output);
        return output;
    }

    [Theory, RemoteStore("file"), RemoteStore("http"), RemoteStore("s3")]
    public void A_second_clone_gets_Clean_and_Split_from_the_remote(string kind)
    {
        using var remote = new TestRemote(kind, servers, scratch);
        using var first = Clone();
        using var second = Clone();

        var computed = Build(first, remote);
        Assert.Matches(@"Clean\s+Succeeded\s+.*// key: [0-9a-f]{12}, kept: \d+", computed);
        Assert.Matches(@"Split\s+Succeeded\s+.*// key: [0-9a-f]{12}, train: \d+", computed);

        var downloaded = Build(second, remote);
        Assert.Matches(@"Clean\s+UpToDate\s+.*// key: [0-9a-f]{12}, kept: \d+, rejected: \d+, from: remote", downloaded);
        Assert.Matches(@"Split\s+UpToDate\s+.*// key: [0-9a-f]{12}, train: \d+, val: \d+, test: \d+, from: remote", downloaded);
        static string Keys(string output) => string.Join(" ", Regex.Matches(output, @"// key: ([0-9a-f]{12})").Select(m => m.Groups[1].Value));
        Assert.Equal(Keys(computed), Keys(downloaded));
        foreach (var file in new[] { "split/train.jsonl", "split/val.jsonl", "split/test.jsonl", "clean/clean.jsonl", "clean/rejects.jsonl" })
            Assert.Equal(File.ReadAllBytes(first.File($"artifacts/default/{file}")), File.ReadAllBytes(second.File($"artifacts/default/{file}")));
    }
}
