using System.IO.Compression;
using Tuneforge.Packaging.Manifest;

namespace Tuneforge.Packaging.Archive;

/// <summary>What is wrong with one file of an archive.</summary>
public enum ProblemKind
{
    /// <summary>Its SHA-256 or size differs from the manifest's.</summary>
    Changed,
    /// <summary>The manifest lists it, the archive lacks it.</summary>
    Missing,
    /// <summary>The archive holds it, the manifest does not list it.</summary>
    Unexpected,
    /// <summary>Its bytes cannot be read back (a CRC or deflate error).</summary>
    Unreadable,
}

public sealed record VerificationProblem(string Path, ProblemKind Kind, string Detail);

/// <summary>The outcome of <see cref="ArchiveVerifier.Verify"/>: every file checked and every difference found.</summary>
public sealed record VerificationResult(string Archive, int FilesChecked, IReadOnlyList<VerificationProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Checks a release archive against the manifest.json inside it: every listed file present with the listed SHA-256
/// and size, nothing unlisted besides the manifest. Read with System.IO.Compression, a reader independent of the writer.
/// </summary>
public static class ArchiveVerifier
{
    public static VerificationResult Verify(string archivePath)
    {
        if (!File.Exists(archivePath)) throw new FileNotFoundException($"{archivePath}: archive not found", archivePath);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(archivePath);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{archivePath}: not a readable zip archive ({e.Message})", e);
        }
        using (zip)
        {
            var manifestEntry = zip.GetEntry(ReleaseManifest.FileName)
                ?? throw new InvalidDataException($"{archivePath}: has no {ReleaseManifest.FileName}; it is not a tuneforge release archive");
            string manifestText;
            using (var reader = new StreamReader(manifestEntry.Open())) manifestText = reader.ReadToEnd();
            var listed = ReleaseManifest.ReadFiles(manifestText, $"{archivePath}!{ReleaseManifest.FileName}");

            var problems = new List<VerificationProblem>();
            var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, StringComparer.Ordinal);
            foreach (var file in listed)
            {
                if (!entries.TryGetValue(file.Path, out var entry))
                {
                    problems.Add(new(file.Path, ProblemKind.Missing, "listed in the manifest but not in the archive"));
                    continue;
                }
                try
                {
                    using var stream = entry.Open();
                    var counting = new CountingStream(stream);
                    var sha = ReleaseManifest.Sha256(counting);
                    if (sha != file.Sha256 || counting.Count != file.Bytes)
                        problems.Add(new(file.Path, ProblemKind.Changed, $"sha256 {sha} ({counting.Count} bytes), the manifest says {file.Sha256} ({file.Bytes} bytes)"));
                }
                catch (InvalidDataException e)
                {
                    problems.Add(new(file.Path, ProblemKind.Unreadable, e.Message));
                }
            }
            var listedPaths = listed.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var path in entries.Keys.Where(p => p != ReleaseManifest.FileName && !listedPaths.Contains(p)).Order(StringComparer.Ordinal))
                problems.Add(new(path, ProblemKind.Unexpected, "in the archive but not listed in the manifest"));
            return new VerificationResult(archivePath, listed.Count, problems);
        }
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Count += read;
            return read;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
