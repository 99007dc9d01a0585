using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

/// <summary>Inspect: the first training examples token by token, as Train encodes them.</summary>
public sealed record InspectSpec
{
    [Description("How many rendered train examples to show token by token.")]
    [Range(1, 1000)]
    public int Examples { get; init; } = 5;

    [Description("Tokenizer folder (tokenizer.json); default: the model's when it is on this machine (a preset or a local folder).")]
    public string? Tokenizer { get; init; }
}
