using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;

namespace Tuneforge.Stages.Tests;

/// <summary>Which weights Serve loads follows serve.backend and serve.weights, from Train's or Quantize's outputs.</summary>
public class ServeStageTests
{
    static PipelineSpec Spec(ServeSpec serve) => new() { Name = "support", Model = new ModelSpec { Source = "preset:tiny-r1" }, Serve = serve };

    static QuantizeOutputs NoQuantize() => throw new InvalidOperationException("Quantize's outputs were asked for");

    [Fact]
    public void The_default_serves_the_base_with_trains_adapter_without_asking_for_quantize()
    {
        using var scratch = new Scratch();
        scratch.Write("train/adapter/adapter_model.safetensors", "x");
        var weights = ServeStage.Choose(Spec(new ServeSpec()), new TrainOutputs(scratch.File("train")), NoQuantize);
        Assert.Null(weights.Path);
        Assert.Equal(scratch.File("train/adapter"), weights.Adapter);
        var job = ServeStage.Job(Spec(new ServeSpec()), weights, scratch.File("serve/feedback.db"), scratch.Path);
        Assert.Equal(scratch.File("train/adapter"), job.Input(ServeStage.AdapterInput));
        Assert.Null(job.OptionalInput(ServeStage.ModelInput));
        Assert.Equal(scratch.File("serve/feedback.db"), job.Input(ServeStage.FeedbackDatabaseInput));
        Assert.Equal("support", job.PipelineName);
        Assert.Equal("greedy decoding, at most 256 new tokens", job.Evaluate!.DecodingDescription()); // stated in the ready line
    }

    [Fact]
    public void A_full_fine_tune_serves_its_model_folder()
    {
        using var scratch = new Scratch();
        scratch.Write("train/model/config.json", "{}");
        var weights = ServeStage.Choose(Spec(new ServeSpec()), new TrainOutputs(scratch.File("train")), NoQuantize);
        Assert.Equal(scratch.File("train/model"), weights.Path);
        Assert.Null(weights.Adapter);
    }

    [Fact]
    public void A_gguf_format_quantize_did_not_write_lists_what_it_wrote_and_what_to_add()
    {
        using var scratch = new Scratch();
        scratch.Write("quantize/model-q4_0.gguf", "GGUF");
        var error = Assert.Throws<StageFileException>(() => ServeStage.Choose(Spec(new ServeSpec { Backend = "gguf", GgufFormat = "gguf_q8_0" }),
            new TrainOutputs(scratch.File("train")), () => new QuantizeOutputs(scratch.File("quantize"))));
        Assert.Equal("serve.gguf_format is gguf_q8_0, but Quantize wrote no model-q8_0.gguf (it has: model-q4_0.gguf)", error.Message);
        Assert.Equal("Add gguf_q8_0 to quantize.formats and run ./build.sh Quantize", error.Hint);
    }

    [Fact]
    public void Quantized_weights_are_served_from_their_folder_and_api_keys_files_from_the_root()
    {
        using var scratch = new Scratch();
        Directory.CreateDirectory(scratch.File("quantize/int8"));
        var spec = Spec(new ServeSpec { Weights = "int8", ApiKeysFile = "keys.txt", Feedback = false });
        var weights = ServeStage.Choose(spec, new TrainOutputs(scratch.File("train")), () => new QuantizeOutputs(scratch.File("quantize")));
        var job = ServeStage.Job(spec, weights, scratch.File("serve/feedback.db"), scratch.Path);
        Assert.Equal(scratch.File("quantize/int8"), job.Input(ServeStage.ModelInput));
        Assert.Equal(scratch.File("keys.txt"), job.Serve!.ApiKeysFile);
        Assert.Null(job.OptionalInput(ServeStage.FeedbackDatabaseInput));
    }
}
