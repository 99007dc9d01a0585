using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

/// <summary>Judge: an LLM compares the tuned and the base answer of each test question, once in each order (docs/preferences.md).</summary>
public sealed record JudgeSpec
{
    [Description("Run Judge after Predict (it needs evaluate.compare_base); Evaluate then reports the judge's win rate of tuned over base (gate judge_win_rate).")]
    public bool Enabled { get; init; }

    [Description("The judge's endpoint, set as teacher is (base_url, model, api_key_env, concurrency, retries, spend limit); the pipeline's teacher when unset.")]
    public TeacherSpec? Endpoint { get; init; }

    [Description("Judge at most this many test answers (null = all that Predict answered).")]
    [Range(1, int.MaxValue)]
    public int? MaxSamples { get; init; }

    [Description("Show the judge the test split's reference answer as the correct one (reference-guided judging).")]
    public bool UseReference { get; init; } = true;

    [Description("The judge's sampling temperature; 0 repeats its verdicts.")]
    [Range(0.0, 2.0)]
    public double Temperature { get; init; }

    [Description("Largest verdict in tokens (an R1 judge reasons first: give it room).")]
    [Range(1, 1_000_000)]
    public int MaxTokens { get; init; } = 2048;

    [Description("The judge's system message; it must ask for the verdict as [[A]], [[B]] or [[C]] (tie). The default asks for correctness first, then helpfulness.")]
    public string? Instruction { get; init; }

    /// <summary>The endpoint the judge asks: <see cref="Endpoint"/> or the pipeline's teacher, at the judge's sampling settings.</summary>
    public TeacherSpec TeacherOf(TeacherSpec pipelineTeacher) =>
        (Endpoint ?? pipelineTeacher) with { Temperature = Temperature, TopP = 1.0, MaxTokens = MaxTokens };
}
