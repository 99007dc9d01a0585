using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Models.Layers;
using Tuneforge.Engine.Runtime;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization;

/// <summary>
/// The frozen base of QLoRA: every linear layer of the decoder layers in NF4 (bitsandbytes quantizes all of them
/// except the output head); embeddings, norms, biases and the head keep the model's dtype.
/// </summary>
public static class Nf4ModelLoader
{
    /// <summary>Quantizes the projections of a model already in memory (a preset), freeing their full-precision weights.</summary>
    public static void QuantizeInPlace(CausalLM model, int blockSize, ScalarType computeDType, bool doubleQuant = false)
    {
        foreach (var (attention, mlp) in model.Model.Layers.Select(l => (l.SelfAttention, l.FeedForward)))
        {
            foreach (var name in Attention.ProjectionNames)
            {
                var projection = Plain(attention.GetProjection(name), name);
                attention.ReplaceProjection(name, Nf4Linear.From(projection, blockSize, computeDType, doubleQuant));
                projection.Dispose();
            }
            foreach (var name in Mlp.ProjectionNames)
            {
                var projection = Plain(mlp.GetProjection(name), name);
                mlp.ReplaceProjection(name, Nf4Linear.From(projection, blockSize, computeDType, doubleQuant));
                projection.Dispose();
            }
        }
    }

    /// <summary>
    /// Loads a Hugging Face folder with the projections quantized as they are read, one tensor at a time, so the
    /// full-precision model never exists in memory at once.
    /// </summary>
    public static CausalLM Load(string directory, ComputeOptions compute, int blockSize, ScalarType computeDType, bool doubleQuant = false)
    {
        if (!Directory.Exists(directory)) throw new EngineException($"{directory}: model folder not found");
        var config = ModelConfig.Load(Path.Combine(directory, PretrainedModel.ConfigFileName));
        var checkpoint = CheckpointFolder.Open(directory);
        // Tensors of an unloaded model are allocated but never written, so the projections' pages are never touched.
        var model = new CausalLM(config, compute.Device, compute.DType, compute.Activations);
        try
        {
            var quantized = new HashSet<string>(StringComparer.Ordinal);
            var readers = checkpoint.Shards.ToDictionary(s => s.Key, s => new SafeTensorsReader(s.Value));
            try
            {
                var layers = model.Model.Layers;
                for (var i = 0; i < layers.Count; i++)
                {
                    foreach (var name in Attention.ProjectionNames)
                    {
                        var key = $"model.layers.{i}.self_attn.{name}.weight";
                        var projection = Plain(layers[i].SelfAttention.GetProjection(name), name);
                        layers[i].SelfAttention.ReplaceProjection(name, Read(checkpoint, readers, key, projection, blockSize, computeDType, doubleQuant));
                        projection.Dispose();
                        quantized.Add(key);
                    }
                    foreach (var name in Mlp.ProjectionNames)
                    {
                        var key = $"model.layers.{i}.mlp.{name}.weight";
                        var projection = Plain(layers[i].FeedForward.GetProjection(name), name);
                        layers[i].FeedForward.ReplaceProjection(name, Read(checkpoint, readers, key, projection, blockSize, computeDType, doubleQuant));
                        projection.Dispose();
                        quantized.Add(key);
                    }
                }
            }
            finally
            {
                foreach (var reader in readers.Values) reader.Dispose();
            }
            CheckpointLoader.Load(model, checkpoint, name => PretrainedModel.IsRedundant(name, config) || quantized.Contains(name));
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static Nf4Linear Read(CheckpointFolder checkpoint, Dictionary<string, SafeTensorsReader> readers, string key,
        Projection projection, int blockSize, ScalarType computeDType, bool doubleQuant)
    {
        if (!checkpoint.TensorToShard.TryGetValue(key, out var shard))
            throw new CheckpointException($"{checkpoint.Directory}: the checkpoint has no '{key}'",
                "The checkpoint does not match config.json: check that the folder's config.json belongs to these weights.");
        var entry = checkpoint.Entry(key);
        if (!entry.Shape.SequenceEqual(projection.Weight.shape))
            throw new CheckpointException($"{checkpoint.Directory}: {key}: expected shape [{string.Join(", ", projection.Weight.shape)}], found {entry.ShapeText} in {shard}");
        using var weight = readers[shard].Read(key);
        return new Nf4Linear(Nf4Tensor.Quantize(weight, blockSize, doubleQuant), projection.Bias, computeDType);
    }

    private static Projection Plain(TorchSharp.torch.nn.Module<Tensor, Tensor> module, string name) =>
        module as Projection ?? throw new InvalidOperationException($"{name} is a {module.GetType().Name}; quantize the base model before adding adapters");
}
