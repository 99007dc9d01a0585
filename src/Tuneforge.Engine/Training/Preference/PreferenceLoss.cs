using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Tuneforge.Engine.Training.Preference;

/// <summary>A preference objective's loss on a batch and the implicit rewards it implies (detached, for metrics).</summary>
/// <param name="Loss">Scalar: the mean over the batch's examples (ORPO adds the chosen answers' NLL).</param>
/// <param name="ChosenRewards">(P) per pair, or per desirable example for KTO.</param>
/// <param name="RejectedRewards">(P) per pair, or per undesirable example for KTO.</param>
public sealed record PreferenceLossResult(Tensor Loss, Tensor ChosenRewards, Tensor RejectedRewards);

/// <summary>
/// The losses of TRL (DPOTrainer.dpo_loss, ORPOTrainer.odds_ratio_loss, KTOTrainer.kto_loss, CPOTrainer with
/// loss_type simpo), on sequence log-probabilities summed over completion tokens (averaged where TRL averages:
/// ipo, orpo, simpo). The reference log-probabilities come from the base with the adapter off, without gradients.
/// </summary>
public static class PreferenceLoss
{
    /// <summary>DPO on pairs: h = (log π(c) − log π(r)) − (log π_ref(c) − log π_ref(r)).</summary>
    public static PreferenceLossResult Dpo(SequenceLogProbs chosen, SequenceLogProbs rejected, SequenceLogProbs refChosen, SequenceLogProbs refRejected, PreferenceSpec spec)
    {
        using var scope = NewDisposeScope();
        var ipo = spec.LossType == DpoLossType.Ipo;
        Tensor Logps(SequenceLogProbs s) => ipo ? s.Mean() : s.Sum;
        var chosenRatio = Logps(chosen) - Logps(refChosen);
        var rejectedRatio = Logps(rejected) - Logps(refRejected);
        var h = chosenRatio - rejectedRatio;
        var beta = spec.Beta;
        var losses = spec.LossType switch
        {
            DpoLossType.Sigmoid => Smoothed(h * beta, spec.LabelSmoothing),
            DpoLossType.Ipo => (h - 1 / (2 * beta)).pow(2),
            _ => F.relu(1 - h * beta),
        };
        return Result(losses.mean(), chosenRatio.detach() * beta, rejectedRatio.detach() * beta);
    }

    /// <summary>ORPO: NLL of the chosen answers (mean over their tokens) − β · mean log σ(log odds(c) − log odds(r)),
    /// odds on length-averaged log-probabilities; no reference model.</summary>
    public static PreferenceLossResult Orpo(SequenceLogProbs chosen, SequenceLogProbs rejected, PreferenceSpec spec)
    {
        using var scope = NewDisposeScope();
        var c = chosen.Mean();
        var r = rejected.Mean();
        var logOdds = (c - r) - (log1p(-exp(c)) - log1p(-exp(r)));
        var nll = -chosen.Sum.sum() / chosen.Tokens.sum();
        var loss = nll - F.logsigmoid(logOdds).mean() * spec.Beta;
        return Result(loss, c.detach() * spec.Beta, r.detach() * spec.Beta);
    }

    /// <summary>SimPO: −log σ(β · (mean log π(c) − mean log π(r)) − γ); no reference model.</summary>
    public static PreferenceLossResult Simpo(SequenceLogProbs chosen, SequenceLogProbs rejected, PreferenceSpec spec)
    {
        using var scope = NewDisposeScope();
        var c = chosen.Mean();
        var r = rejected.Mean();
        var logits = (c - r) - spec.SimpoGamma / spec.Beta;
        return Result(Smoothed(logits * spec.Beta, spec.LabelSmoothing).mean(), c.detach() * spec.Beta, r.detach() * spec.Beta);
    }

    /// <summary>KTO on labelled answers: z = max(0, mean(log π(y′|x) − log π_ref(y′|x))) over mismatched answers (no
    /// gradient), desirable 1 − σ(β(ratio − z)), undesirable 1 − σ(β(z − ratio)), weighted, mean over all examples.</summary>
    /// <param name="desirable">(B) boolean: each example's label.</param>
    /// <param name="kl">The mismatched pairs' policy and reference log-probabilities (TRL's KL dataset).</param>
    public static PreferenceLossResult Kto(SequenceLogProbs policy, SequenceLogProbs reference, Tensor desirable, SequenceLogProbs klPolicy, SequenceLogProbs klReference, PreferenceSpec spec)
    {
        using var scope = NewDisposeScope();
        var z = (klPolicy.Sum - klReference.Sum).mean().clamp_min(0).detach();
        var ratio = policy.Sum - reference.Sum;
        var beta = spec.Beta;
        var desirableLoss = (1 - F.sigmoid((ratio - z) * beta)) * spec.DesirableWeight;
        var undesirableLoss = (1 - F.sigmoid((z - ratio) * beta)) * spec.UndesirableWeight;
        var losses = where(desirable, desirableLoss, undesirableLoss);
        var rewards = ratio.detach() * beta;
        return Result(losses.mean(), rewards.masked_select(desirable), rewards.masked_select(desirable.logical_not()));
    }

    // −log σ(x)·(1 − ε) − log σ(−x)·ε: TRL's sigmoid loss with label smoothing ε.
    static Tensor Smoothed(Tensor x, double epsilon) =>
        epsilon == 0 ? -F.logsigmoid(x) : -F.logsigmoid(x) * (1 - epsilon) - F.logsigmoid(-x) * epsilon;

    static PreferenceLossResult Result(Tensor loss, Tensor chosen, Tensor rejected) =>
        new(loss.MoveToOuterDisposeScope(), chosen.MoveToOuterDisposeScope(), rejected.MoveToOuterDisposeScope());
}
