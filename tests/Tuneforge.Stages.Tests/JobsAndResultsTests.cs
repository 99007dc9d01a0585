using System.Text.Json.Nodes;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;

namespace Tuneforge.Stages.Tests;

/// <summary>Each stage builds its job in one place and its result keeps the protocol's JSON names.</summary>
public class JobsAndResultsTests
{
    static PipelineSpec Spec => new() { Name = "support", Version = "1.0.0" };

    [Fact]
    public void A_job_written_by_the_build_is_read_back_by_the_engine_for_its_verb_only()
    {
        using var scratch = new Scratch();
        var job = TrainStage.Job(new ModelSpec { Source = "preset:tiny-r1" }, new TrainSpec { LearningRate = 1e-4 }, "/s/train.jsonl", "/s/val.jsonl", "/repo");
        var path = job.Write(scratch.Path);
        var read = EngineJob.Read(path, "train");
        Assert.Equal("/s/train.jsonl", read.Input(TrainStage.TrainInput));
        Assert.Equal("/s/val.jsonl", read.OptionalInput(TrainStage.ValInput));
        Assert.Equal(1e-4, read.Train!.LearningRate);
        var wrongVerb = Assert.Throws<InvalidDataException>(() => EngineJob.Read(path, "quantize"));
        Assert.Equal($"{path}: the job is for 'train', not quantize", wrongVerb.Message);
    }

    [Fact]
    public void A_missing_input_names_the_inputs_the_job_has()
    {
        var job = TrainStage.Job(new ModelSpec(), new TrainSpec(), "/s/train.jsonl", null, "/repo");
        var error = Assert.Throws<InvalidDataException>(() => job.Input("val"));
        Assert.Equal("The train job has no 'val' input (it has: train).", error.Message);
    }

    [Fact]
    public void Quantize_hands_over_an_adapter_or_a_full_model_by_what_train_wrote()
    {
        using var scratch = new Scratch();
        scratch.Write("lora/adapter/adapter_model.safetensors", "x");
        scratch.Write("full/model/config.json", "{}");
        var lora = QuantizeStage.Job(Spec, "/s/test.jsonl", new TrainOutputs(scratch.File("lora")), "/repo");
        var full = QuantizeStage.Job(Spec, "/s/test.jsonl", new TrainOutputs(scratch.File("full")), "/repo");
        Assert.Equal(scratch.File("lora/adapter"), lora.Input(QuantizeStage.AdapterInput));
        Assert.Null(lora.OptionalInput(QuantizeStage.TunedModelInput));
        Assert.Equal(scratch.File("full/model"), full.Input(QuantizeStage.TunedModelInput));
        Assert.Null(full.OptionalInput(QuantizeStage.AdapterInput));
        Assert.False(lora.Evaluate!.CompareBase);
    }

    [Fact]
    public void Quantize_result_keeps_the_protocol_names_of_its_fields()
    {
        var result = new QuantizeResult
        {
            ChatTemplate = "deepseek-r1",
            Examples = 4,
            Formats = [new QuantizedFormatResult { Format = "gguf_q8_0", Bytes = 100, Perplexity = 9.5, RougeLDelta = -0.01 }],
            Timings = new() { ["merge_s"] = 1.5 },
        };
        var data = StageResult.ToEvent("quantize", result).Data;
        var format = data["formats"]![0]!.AsObject();
        Assert.Equal(-0.01, format["rougeL_delta"]!.GetValue<double>());
        Assert.Equal("deepseek-r1", data["chat_template"]!.GetValue<string>());
        Assert.Equal(1.5, data["timings"]!["merge_s"]!.GetValue<double>());
        var line = EventSerializer.Serialize(StageResult.ToEvent("quantize", result));
        var back = StageResult.Read<QuantizeResult>(EventSerializer.TryParse(line) as ResultEvent, "quantize");
        Assert.Equal(result.Formats.Single(), back.Formats.Single());
    }

    [Fact]
    public void A_result_of_another_shape_is_a_clear_error()
    {
        var wrong = new ResultEvent("train", new JsonObject { ["method"] = 3 });
        var error = Assert.Throws<StageFileException>(() => StageResult.Read<TrainResult>(wrong, "train"));
        Assert.StartsWith("The engine's train result is not what this build reads", error.Message);
    }
}
