using TorchSharp.Modules;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Training.Optimization;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>
/// A loaded model made ready for one method: LoRA/QLoRA add adapters (float32) to a frozen base, full fine-tuning
/// trains every weight (through float32 master copies when the model runs in bfloat16/float16).
/// </summary>
public sealed class TrainableModel : IDisposable
{
    private TrainableModel(CausalLM model, TrainOptions options, DropoutSource dropout, IReadOnlyList<TrainableParameter> parameters)
    {
        Model = model;
        Options = options;
        Dropout = dropout;
        Parameters = parameters;
    }

    public CausalLM Model { get; }
    public TrainOptions Options { get; }
    public DropoutSource Dropout { get; }
    public IReadOnlyList<TrainableParameter> Parameters { get; }
    public long TrainableCount => Parameters.Sum(p => p.Value.numel());
    public long TotalCount => Model.parameters().Sum(p => p.numel()) + QuantizedCount;
    private long QuantizedCount => Model.modules().OfType<Quantization.Nf4Linear>().Sum(q => q.Weight.NumberOfElements);

    /// <summary>Adds adapters (LoRA, QLoRA) or unfreezes everything (full); adapters are initialized from <paramref name="seed"/>.</summary>
    public static TrainableModel Create(CausalLM model, TrainOptions options, long seed)
    {
        var dropout = new DropoutSource(seed + 1, model.Device);
        List<TrainableParameter> parameters;
        if (options.UsesAdapters)
        {
            LoraInjector.Apply(model, options.Lora!, dropout, seed);
            parameters = PeftAdapter.Tensors(model, options.Lora!)
                .Select(t => new TrainableParameter(t.Key, (Parameter)t.Value, decay: !IsBiasOrNorm(t.Key)))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .ToList();
        }
        else
        {
            foreach (var parameter in model.parameters()) parameter.requires_grad = true;
            parameters = model.named_parameters()
                .Select(p => new TrainableParameter(p.name, p.parameter, decay: !IsBiasOrNorm(p.name)))
                .ToList();
        }
        model.train();
        return new TrainableModel(model, options, dropout, parameters);
    }

    /// <summary>transformers decays every weight but biases and normalization weights.</summary>
    public static bool IsBiasOrNorm(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) || name.EndsWith("norm.weight", StringComparison.Ordinal);

    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }

    public void CollectGrads()
    {
        foreach (var p in Parameters) p.CollectGrad();
    }

    /// <summary>Loads an adapter folder's weights into the adapters (and modules to save, with their float32 copies).</summary>
    public void LoadAdapter(string directory)
    {
        PeftAdapter.LoadWeights(Model, Options.Lora!, directory);
        foreach (var p in Parameters) p.PullFromLive();
    }

    public void PushToLive()
    {
        foreach (var p in Parameters) p.PushToLive();
    }

    public bool IsFull => Options.Method == TrainMethod.Full;

    public void Dispose()
    {
        foreach (var p in Parameters) p.Dispose();
        Dropout.Dispose();
        Model.Dispose();
    }
}
