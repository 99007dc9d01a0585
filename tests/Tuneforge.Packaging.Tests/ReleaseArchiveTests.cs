using System.IO.Compression;
using System.Security.Cryptography;
using Tuneforge.Packaging.Archive;
using Tuneforge.Packaging.Manifest;

namespace Tuneforge.Packaging.Tests;

/// <summary>The release archive: byte-identical rebuilds, its layout and manifest, and what it refuses to hold.</summary>
public sealed class ReleaseArchiveTests
{
    [Fact]
    public void Two_builds_from_the_same_inputs_are_byte_identical_even_from_other_folders()
    {
        using var first = new ReleaseFixture();
        using var second = new ReleaseFixture();   // same contents, another absolute path, other file times
        File.SetLastWriteTimeUtc(second.Path_("train/adapter/adapter_model.safetensors"), new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        var a = ReleasePackager.Build(first.Request(first.Path_("dist"), "gguf_q4_0"));
        var b = ReleasePackager.Build(second.Request(second.Path_("dist"), "gguf_q4_0"));

        Assert.Equal(a.Sha256, b.Sha256);
        Assert.Equal(File.ReadAllBytes(a.ArchivePath), File.ReadAllBytes(b.ArchivePath));
        Assert.Equal("support-bot-1.2.0.zip", Path.GetFileName(a.ArchivePath));
        Assert.Equal($"{a.Sha256}  support-bot-1.2.0.zip\n", File.ReadAllText(a.ArchivePath + ".sha256"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(a.ArchivePath))), a.Sha256);
    }

    [Fact]
    public void Entries_are_sorted_with_fixed_times_and_permissions_and_the_manifest_hashes_every_other_file()
    {
        using var fixture = new ReleaseFixture();
        var result = ReleasePackager.Build(fixture.Request(fixture.Path_("dist"), "gguf_q4_0"));
        using var zip = ZipFile.OpenRead(result.ArchivePath);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(
        [
            "MODEL_CARD.md", "adapter/adapter_config.json", "adapter/adapter_model.safetensors", "adapter/chat_template.jinja", "data/clean_stats.json", "data/split.json",
            "evaluation/metrics.json", "evaluation/plots/rouge.png", "evaluation/report.html", "evaluation/report.md",
            "gguf/Modelfile.q4_0", "gguf/support-bot-q4_0.gguf", "manifest.json", "quantization/quality.json", "training/trainer_state.json",
        ], names);
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(1980, 1, 1), e.LastWriteTime.DateTime));
        Assert.All(zip.Entries, e => Assert.Equal(0x81A4u, (uint)e.ExternalAttributes >> 16));

        var manifestText = new StreamReader(zip.GetEntry("manifest.json")!.Open()).ReadToEnd();
        var files = ReleaseManifest.ReadFiles(manifestText, "manifest.json");
        Assert.Equal(names.Where(n => n != "manifest.json"), files.Select(f => f.Path));
        foreach (var file in files)
        {
            using var stream = zip.GetEntry(file.Path)!.Open();
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
        Assert.Contains("\"commit\": \"0123456789abcdef0123456789abcdef01234567\"", manifestText);
        Assert.Contains("\"Train\": \"bb22\"", manifestText);
        Assert.DoesNotContain(fixture.Root, manifestText);
        Assert.Equal(Tuneforge.Files.CanonicalJson.Indented(System.Text.Json.Nodes.JsonNode.Parse(manifestText)), manifestText);
    }

    [Fact]
    public void Timing_fields_of_the_trainer_state_are_left_out_so_reruns_of_training_match()
    {
        using var first = new ReleaseFixture();
        using var second = new ReleaseFixture();
        second.Write("train/trainer_state.json", File.ReadAllText(second.Path_("train/trainer_state.json")).Replace("812.5", "901.25").Replace("77.3", "69.9").Replace("812.49", "903.1"));
        var a = ReleasePackager.Build(first.Request(first.Path_("dist")));
        var b = ReleasePackager.Build(second.Request(second.Path_("dist")));
        Assert.Equal(a.Sha256, b.Sha256);
        using var zip = ZipFile.OpenRead(a.ArchivePath);
        var state = new StreamReader(zip.GetEntry("training/trainer_state.json")!.Open()).ReadToEnd();
        Assert.Contains("\"train_loss\": 4.1", state);
        Assert.DoesNotContain("runtime", state);
        Assert.DoesNotContain("per_second", state);
        Assert.DoesNotContain("seconds", state);
        Assert.Contains("\"tokens_seen\": 9000", state);
    }

    [Fact]
    public void Verify_passes_an_untouched_archive_and_names_a_changed_a_missing_and_an_added_file()
    {
        using var fixture = new ReleaseFixture();
        var result = ReleasePackager.Build(fixture.Request(fixture.Path_("dist")));
        var clean = ArchiveVerifier.Verify(result.ArchivePath);
        Assert.True(clean.Ok);
        Assert.Equal(result.Files.Count - 1, clean.FilesChecked);

        var tampered = fixture.Path_("tampered.zip");
        File.Copy(result.ArchivePath, tampered);
        using (var zip = ZipFile.Open(tampered, ZipArchiveMode.Update))
        {
            zip.GetEntry("evaluation/report.md")!.Delete();
            using (var writer = new StreamWriter(zip.CreateEntry("evaluation/report.md").Open())) writer.Write("# Evaluation\n\nrougeL way up.\n");
            zip.GetEntry("data/split.json")!.Delete();
            using (var writer = new StreamWriter(zip.CreateEntry("notes.txt").Open())) writer.Write("hello");
        }
        var report = ArchiveVerifier.Verify(tampered);
        Assert.False(report.Ok);
        Assert.Equal(
            [("data/split.json", ProblemKind.Missing), ("evaluation/report.md", ProblemKind.Changed), ("notes.txt", ProblemKind.Unexpected)],
            report.Problems.Select(p => (p.Path, p.Kind)).OrderBy(p => p.Path, StringComparer.Ordinal));
    }

    [Fact]
    public void Verify_detects_one_flipped_byte_in_a_stored_file()
    {
        using var fixture = new ReleaseFixture();
        var result = ReleasePackager.Build(fixture.Request(fixture.Path_("dist"), "gguf_q4_0"));
        var bytes = File.ReadAllBytes(result.ArchivePath);
        // The GGUF payload is stored uncompressed: find its magic and change a byte after it.
        var at = bytes.AsSpan().IndexOf("GGUF"u8);
        bytes[at + 100] ^= 0xFF;
        File.WriteAllBytes(result.ArchivePath, bytes);
        var report = ArchiveVerifier.Verify(result.ArchivePath);
        var problem = Assert.Single(report.Problems);
        Assert.Equal("gguf/support-bot-q4_0.gguf", problem.Path);
        Assert.True(problem.Kind is ProblemKind.Changed or ProblemKind.Unreadable, problem.Kind.ToString());
    }

    [Fact]
    public void A_hugging_face_token_in_any_text_file_stops_the_release()
    {
        using var fixture = new ReleaseFixture();
        fixture.Write("evaluate/report.md", "# Evaluation\n\nrun with HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyzABCDEFGH12\n");
        var error = Assert.Throws<InvalidDataException>(() => ReleasePackager.Build(fixture.Request(fixture.Path_("dist"))));
        Assert.Contains("evaluation/report.md", error.Message);
        Assert.False(File.Exists(fixture.Path_("dist/support-bot-1.2.0.zip")));
    }

    [Fact]
    public void An_absolute_path_of_the_build_machine_stops_the_release()
    {
        using var fixture = new ReleaseFixture();
        fixture.Write("train/trainer_state.json", $"{{\"best_model_checkpoint\": \"{fixture.Root}/train/checkpoint-40\"}}\n");
        var error = Assert.Throws<InvalidDataException>(() => ReleasePackager.Build(fixture.Request(fixture.Path_("dist"))));
        Assert.Contains("training/trainer_state.json", error.Message);
        Assert.Contains("absolute path", error.Message);
    }

    [Fact]
    public void A_gguf_that_quantize_did_not_write_is_an_error_that_says_what_to_add()
    {
        using var fixture = new ReleaseFixture();
        var error = Assert.Throws<InvalidDataException>(() => ReleasePackager.Build(fixture.Request(fixture.Path_("dist"), "gguf_q8_0")));
        Assert.Contains("gguf_q8_0", error.Message);
        Assert.Contains("quantize.formats", error.Message);
    }

    [Fact]
    public void A_gguf_template_that_differs_from_the_trained_one_stops_the_release_naming_both_files()
    {
        using var fixture = new ReleaseFixture();
        var noThink = new Tuneforge.Text.ChatRenderOptions { WhenNoReasoning = Tuneforge.Text.MissingReasoning.NoThinkBlock };
        fixture.Write("quantize/chat_template.jinja", Tuneforge.Text.ChatTemplateText.Of(Tuneforge.Text.ChatTemplates.Get("deepseek-r1"), noThink));

        var error = Assert.Throws<Tuneforge.Text.ChatTemplateException>(() => ReleasePackager.Build(fixture.Request(fixture.Path_("dist"), "gguf_q4_0")));

        Assert.StartsWith($"{fixture.Path_("train/adapter/chat_template.jinja")} (the template the model was trained with) and " +
                          $"{fixture.Path_("quantize/chat_template.jinja")} (written into the GGUF files) differ from line 3, column 23 (stored: 'true -%}}", error.Message);
        Assert.Contains("pipeline: 'false -%}", error.Message);
        Assert.False(Directory.Exists(fixture.Path_("dist")) && Directory.EnumerateFiles(fixture.Path_("dist")).Any());
    }
}
