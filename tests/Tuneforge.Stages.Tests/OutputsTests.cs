using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;

namespace Tuneforge.Stages.Tests;

/// <summary>Where each stage's outputs live is decided by its outputs record, and a missing one says what to run.</summary>
public class OutputsTests
{
    [Fact]
    public void Train_weights_are_the_adapter_when_it_has_its_weights_file()
    {
        using var scratch = new Scratch();
        scratch.Write("train/adapter/adapter_model.safetensors", "x");
        var weights = new TrainOutputs(scratch.File("train")).Weights();
        Assert.True(weights.IsAdapter);
        Assert.Equal(scratch.File("train/adapter"), weights.Directory);
    }

    [Fact]
    public void Train_weights_of_a_full_fine_tune_are_the_model_folder()
    {
        using var scratch = new Scratch();
        scratch.Write("train/model/config.json", "{}");
        var weights = new TrainOutputs(scratch.File("train")).Weights();
        Assert.False(weights.IsAdapter);
        Assert.Equal(scratch.File("train/model"), weights.Directory);
    }

    [Fact]
    public void Train_output_without_weights_says_to_run_train_again()
    {
        using var scratch = new Scratch();
        var error = Assert.Throws<StageFileException>(() => new TrainOutputs(scratch.File("train")).Weights());
        Assert.Equal($"{scratch.File("train")} has neither adapter/ nor model/", error.Message);
        Assert.Equal("Run the Train stage again: ./build.sh Train --force Train", error.Hint);
    }

    [Theory]
    [InlineData("gguf_q8_0", "model-q8_0.gguf")]
    [InlineData("gguf_q4_k_m", "model-q4_k_m.gguf")]
    [InlineData("gguf_f16", "model-f16.gguf")]
    public void Gguf_formats_are_files_named_by_their_type(string format, string file)
    {
        Assert.Equal(file, QuantizeOutputs.GgufFileName(format));
        Assert.Equal(file, QuantizeOutputs.RelativePath(format));
        Assert.Equal(Path.Combine("/q", file), new QuantizeOutputs("/q").GgufPath(format));
    }

    [Fact]
    public void Folder_formats_are_folders_of_the_quantize_output()
    {
        Assert.Equal("int8", QuantizeOutputs.RelativePath("int8"));
        Assert.Equal(Path.Combine("/q", "merged"), new QuantizeOutputs("/q").Folder("merged"));
        Assert.Throws<ArgumentException>(() => new QuantizeOutputs("/q").Folder("gguf_q8_0"));
    }

    [Fact]
    public void Perplexity_report_round_trips_with_chinese_categories()
    {
        using var scratch = new Scratch();
        var report = new PerplexityReport { Tuned = 12.5, Base = 900, TunedByCategory = new() { ["发票"] = 11 }, ReferenceTokens = 42 };
        report.Write(scratch.File("perplexity.json"));
        var read = PerplexityReport.Read(scratch.File("perplexity.json"));
        Assert.Equal(12.5, read.Tuned);
        Assert.Equal(900, read.Base);
        Assert.Equal(11, read.TunedByCategory["发票"]);
        Assert.Empty(read.BaseByCategory);
        Assert.Contains("\"发票\"", File.ReadAllText(scratch.File("perplexity.json")));
    }

    [Fact]
    public void An_unreadable_quality_report_names_the_file_and_the_stage_to_rerun()
    {
        using var scratch = new Scratch();
        var path = scratch.Write("quality.json", "{\"schema\": \"tuneforge.quality/1\", \"formats\": [{\"format\": \"int8\"}]}");
        var error = Assert.Throws<StageFileException>(() => QualityReport.Read(path));
        Assert.StartsWith($"{path}: unreadable quality report: ", error.Message);
        Assert.Contains("./build.sh Quantize --force Quantize", error.Hint);
    }

    [Fact]
    public void Quality_report_is_written_rounded_and_read_back()
    {
        using var scratch = new Scratch();
        var formats = new[] { new FormatQuality("merged", "merged", 1000, 894.0321234, 0.830123456, 0), new FormatQuality("gguf_q8_0", "model-q8_0.gguf", 500, 894.2, 0.83, -0.0001234567) };
        new QualityReport("deepseek-r1", 64, 64, 64, formats).Write(scratch.File("quality.json"));
        var read = QualityReport.Read(scratch.File("quality.json"));
        Assert.Equal("deepseek-r1", read.ChatTemplate);
        Assert.Equal(894.032, read.Formats[0].Perplexity);
        Assert.Equal(0.830123, read.Formats[0].RougeL);
        Assert.Equal(-0.000123457, read.Formats[1].RougeLDelta);
        Assert.Equal("model-q8_0.gguf", read.Formats[1].Path);
    }

    [Fact]
    public void Predict_settings_leave_the_gates_to_evaluate()
    {
        var evaluate = new EvaluateSpec { MaxNewTokens = 12, Gates = new() { ["rougeL"] = ">= 0.5" } };
        var settings = PredictStage.Settings(evaluate);
        Assert.Empty(settings.Gates);
        Assert.Equal(12, settings.MaxNewTokens);
    }
}
