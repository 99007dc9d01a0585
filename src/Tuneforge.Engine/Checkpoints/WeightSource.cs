using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>
/// The weights of a model read one tensor at a time, in parameter order: from a checkpoint folder (what the streamed
/// merge and GGUF export read, so they never hold the model) or from a model in memory (a preset built from a seed).
/// </summary>
public interface IWeightSource : IDisposable
{
    ModelConfig Config { get; }

    /// <summary>Every parameter of the model, in parameter order, with the dtype it has in the source.</summary>
    IReadOnlyList<TensorLayout> Tensors { get; }

    /// <summary>The tensor <paramref name="name"/>: a new CPU tensor, or a view of the model's parameter (the caller disposes it).</summary>
    Tensor Read(string name);
}

/// <summary>A Hugging Face folder's weights, checked against its config.json like a load, read a tensor at a time.</summary>
public sealed class CheckpointWeights : IWeightSource
{
    private readonly CheckpointFolder _checkpoint;
    private readonly Dictionary<string, SafeTensorsReader> _readers = new(StringComparer.Ordinal);

    public CheckpointWeights(string directory)
    {
        Config = ModelConfig.Load(Path.Combine(directory, PretrainedModel.ConfigFileName));
        _checkpoint = CheckpointFolder.Open(directory);
        using var meta = new CausalLM(Config, META, ScalarType.Float32);
        var shapes = meta.named_parameters().Select(p => (p.name, p.parameter.shape)).ToList();
        CheckpointLoader.Check(shapes.ToDictionary(s => s.name, s => s.shape, StringComparer.Ordinal), _checkpoint, name => PretrainedModel.IsRedundant(name, Config));
        Tensors = shapes.Select(s => new TensorLayout(s.name, _checkpoint.Entry(s.name).DType, s.shape)).ToList();
    }

    public ModelConfig Config { get; }
    public IReadOnlyList<TensorLayout> Tensors { get; }

    public Tensor Read(string name)
    {
        var shard = _checkpoint.TensorToShard[name];
        if (!_readers.TryGetValue(shard, out var reader)) _readers[shard] = reader = new SafeTensorsReader(_checkpoint.Shards[shard]);
        return reader.Read(name);
    }

    public void Dispose()
    {
        foreach (var reader in _readers.Values) reader.Dispose();
    }
}

/// <summary>The parameters of a model in memory; disposed with it when <paramref name="ownsModel"/>.</summary>
public sealed class ModuleWeights(CausalLM model, bool ownsModel = false) : IWeightSource
{
    private readonly Dictionary<string, TorchSharp.Modules.Parameter> _parameters =
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);

    public ModelConfig Config => model.Config;
    public IReadOnlyList<TensorLayout> Tensors { get; } = model.named_parameters().Select(p => TensorLayout.Of(p.name, p.parameter)).ToList();
    public Tensor Read(string name) => _parameters[name].detach();
    public void Dispose()
    {
        if (ownsModel) model.Dispose();
    }
}
