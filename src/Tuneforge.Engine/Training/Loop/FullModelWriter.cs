using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using Tuneforge.Files;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>Writes a fully fine-tuned model as a Hugging Face folder (config.json, safetensors, tokenizer files), whole or not at all.</summary>
public static class FullModelWriter
{
    public static void Save(TrainableModel trainable, string directory, ScalarType dtype, string? tokenizerDirectory)
    {
        AtomicDirectory.Write(directory, staging => WriteFiles(trainable, staging, dtype, tokenizerDirectory));
    }

    static void WriteFiles(TrainableModel trainable, string staging, ScalarType dtype, string? tokenizerDirectory)
    {
        using (var scope = NewDisposeScope())
        {
            var tensors = trainable.Parameters.ToDictionary(p => p.Name, p => p.Value.detach().to_type(dtype), StringComparer.Ordinal);
            CheckpointWriter.Save(staging, tensors);
        }
        PretrainedModel.WriteConfig(trainable.Model.Config, staging, dtype);
        if (tokenizerDirectory is not null)
        {
            foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json" })
            {
                var source = Path.Combine(tokenizerDirectory, name);
                if (File.Exists(source)) File.Copy(source, Path.Combine(staging, name));
            }
        }
    }
}
