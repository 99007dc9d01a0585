using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using Tuneforge.Engine.Models.Layers;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models;

/// <summary>
/// A decoder-only causal LM for <c>LlamaForCausalLM</c>, <c>Qwen2ForCausalLM</c> and <c>Qwen3ForCausalLM</c>,
/// with module names equal to the Hugging Face state-dict keys (<c>model.layers.3.self_attn.q_proj.weight</c>,
/// <c>lm_head.weight</c>). With tied embeddings there is no <c>lm_head</c>: the head uses <c>model.embed_tokens.weight</c>.
/// </summary>
public sealed class CausalLM : nn.Module<CausalLMInput, CausalLMOutput>
{
    [ComponentName(Name = "model")] private readonly DecoderModel _model;
    [ComponentName(Name = "lm_head")] private readonly Projection? _lmHead;

    /// <summary>Builds the model with uninitialized parameters on <paramref name="device"/> (use <c>meta</c> to allocate nothing).</summary>
    /// <param name="activations">The dtype it computes in when not <paramref name="dtype"/> (float32 math on bfloat16 weights).</param>
    public CausalLM(ModelConfig config, Device device, ScalarType dtype, ScalarType? activations = null) : base(nameof(CausalLM))
    {
        Config = config;
        Device = device;
        DType = dtype;
        ActivationDType = activations ?? dtype;
        _model = new DecoderModel(config, device, dtype, ActivationDType);
        register_module("model", _model);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = new Projection(config.HiddenSize, config.VocabSize, hasBias: false, device, dtype);
            register_module("lm_head", _lmHead);
        }
    }

    public ModelConfig Config { get; }
    public Device Device { get; }
    /// <summary>The dtype of the weights.</summary>
    public ScalarType DType { get; }

    /// <summary>The dtype of activations, logits and the KV cache.</summary>
    public ScalarType ActivationDType { get; }
    public DecoderModel Model => _model;

    /// <summary>The LM head's weight (vocab, hidden): <c>lm_head.weight</c>, or the embedding itself when tied.</summary>
    public Parameter HeadWeight => _lmHead?.Weight ?? _model.EmbedTokens.Weight;

    public override CausalLMOutput forward(CausalLMInput input)
    {
        using var scope = NewDisposeScope();
        var hidden = _model.call(new DecoderInput(input.InputIds, input.AttentionMask, input.PositionIds, input.Cache));
        var logits = input.Logits switch
        {
            LogitsMode.All => ComputeLogits(hidden),
            LogitsMode.LastPosition => ComputeLogits(hidden.narrow(1, hidden.shape[1] - 1, 1)),
            _ => null,
        };
        return new CausalLMOutput(logits?.MoveToOuterDisposeScope(), hidden.MoveToOuterDisposeScope());
    }

    /// <summary>The LM head on (…, hidden) states; training calls it on chunks of rows to bound memory.</summary>
    public Tensor ComputeLogits(Tensor hidden) => Projection.Product(hidden, HeadWeight);

    /// <summary>Parameters counted once (a tied head shares the embedding's).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
