using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public enum TorchDtype { Auto, Float32, Bfloat16, Float16 }

public enum DeviceKind { Auto, Cpu, Cuda }

/// <summary>How the think block before an answer is trained (model.answer_without_reasoning).</summary>
public enum ThinkPolicy { EmptyThink, None, MaskThink, Traces }

public sealed record ModelSpec
{
    [Description("The base model: a local Hugging Face folder, hf://org/name[@revision], or preset:tiny-r1.")]
    [Required]
    public string Source { get; init; } = "preset:tiny-r1";

    [Description("Seed of a preset model's random weights.")]
    public int PresetSeed { get; init; }

    [Description("Chat template: tokenizer (the checkpoint's own Jinja chat_template), a named one (deepseek-r1, chatml, qwen, llama3), or auto (tokenizer when tokenizer_config.json has a chat_template, else the named template its vocabulary shows).")]
    [RegularExpression("^(auto|tokenizer|deepseek-r1|chatml|qwen|llama3)$")]
    public string ChatTemplate { get; init; } = "auto";

    [Description("Extra variables for the tokenizer's Jinja template, as transformers' apply_chat_template kwargs (enable_thinking: false for Qwen3); true/false, numbers and null are typed.")]
    public Dictionary<string, string> ChatTemplateKwargs { get; init; } = [];

    [Description("System prompt added to every example that has none (DeepSeek recommends none).")]
    public string? SystemPrompt { get; init; }

    [Description("How the think block is trained (docs/reasoning.md): empty_think (an answer without reasoning trains after an empty <think></think> block, deepseek-r1 only; reasoning in the data is trained), none (no block when there is no reasoning), mask_think (the block, empty or with the data's reasoning, is in the input but masked from the loss; the answer is trained), traces (the data's reasoning is trained in the last assistant turn, earlier turns' reasoning removed as R1's template does; an empty block is masked). mask_think and traces need a named chat template.")]
    public ThinkPolicy AnswerWithoutReasoning { get; init; } = ThinkPolicy.EmptyThink;

    [Description("Weights' dtype for compute (as transformers' torch_dtype); auto = bfloat16 on GPUs that support it, float32 on CPU.")]
    public TorchDtype TorchDtype { get; init; } = TorchDtype.Auto;

    [Description("Device: auto (cuda when available), cpu or cuda.")]
    public DeviceKind Device { get; init; } = DeviceKind.Auto;

    [Description("CPU threads for the engine; 0 = all cores.")]
    [Range(0, 1024)]
    public int NumThreads { get; init; }
}
