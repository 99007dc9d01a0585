using Tuneforge.Data.Training;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Preference;

/// <summary>
/// One preference objective's forward pass on a micro-batch: the policy (adapter on) with gradients, and where the
/// objective has one the reference (the same model with its adapter off) without. Pairs run as one batch, the chosen
/// rows first (TRL's concatenated forward).
/// </summary>
public sealed class PreferenceObjective(CausalLM model, PreferenceSpec spec, Device device, int padId = 0)
{
    /// <summary>Whether the objective compares against a reference model (DPO, KTO) or not (ORPO, SimPO).</summary>
    public bool UsesReference => spec.Method is PreferenceMethod.Dpo or PreferenceMethod.Kto;

    public PreferenceLossResult Pairs(IReadOnlyList<PreferencePair> pairs)
    {
        if (spec.Method is not (PreferenceMethod.Dpo or PreferenceMethod.Orpo or PreferenceMethod.Simpo))
            throw new InvalidOperationException($"{spec.Method} does not learn from pairs");
        using var scope = NewDisposeScope();
        var n = pairs.Count;
        using var batch = Collate([.. pairs.Select(p => p.Chosen), .. pairs.Select(p => p.Rejected)]);
        var policy = SequenceLogProbs.Of(model, batch);
        var (chosen, rejected) = (policy.Slice(0, n), policy.Slice(n, n));
        var result = spec.Method switch
        {
            PreferenceMethod.Orpo => PreferenceLoss.Orpo(chosen, rejected, spec),
            PreferenceMethod.Simpo => PreferenceLoss.Simpo(chosen, rejected, spec),
            _ => Dpo(batch, chosen, rejected, n),
        };
        return Keep(result);
    }

    public PreferenceLossResult Labelled(IReadOnlyList<LabelledExample> examples)
    {
        if (spec.Method != PreferenceMethod.Kto) throw new InvalidOperationException($"{spec.Method} does not learn from labelled answers");
        using var scope = NewDisposeScope();
        using var batch = Collate([.. examples.Select(e => e.Example)]);
        using var mismatched = Collate(LabelledExample.Mismatched(examples));
        var policy = SequenceLogProbs.Of(model, batch);
        SequenceLogProbs reference, klPolicy, klReference;
        using (no_grad())
        {
            klPolicy = SequenceLogProbs.Of(model, mismatched);
            using var off = DisabledAdapters.Of(model);
            reference = SequenceLogProbs.Of(model, batch);
            klReference = SequenceLogProbs.Of(model, mismatched);
        }
        var desirable = tensor(examples.Select(e => e.Desirable).ToArray(), device: device);
        return Keep(PreferenceLoss.Kto(policy, reference, desirable, klPolicy, klReference, spec));
    }

    PreferenceLossResult Dpo(TrainingBatch batch, SequenceLogProbs chosen, SequenceLogProbs rejected, int n)
    {
        SequenceLogProbs reference;
        using (no_grad())
        using (DisabledAdapters.Of(model))
            reference = SequenceLogProbs.Of(model, batch);
        return PreferenceLoss.Dpo(chosen, rejected, reference.Slice(0, n), reference.Slice(n, n), spec);
    }

    // One example per row: a preference loss is per sequence, so rows are never packed.
    TrainingBatch Collate(IReadOnlyList<EncodedExample> examples) =>
        BatchCollator.Collate([.. Enumerable.Range(0, examples.Count).Select(i => new[] { i })], examples, device, padId);

    static PreferenceLossResult Keep(PreferenceLossResult result) => new(result.Loss.MoveToOuterDisposeScope(),
        result.ChosenRewards.MoveToOuterDisposeScope(), result.RejectedRewards.MoveToOuterDisposeScope());
}
