using Tuneforge.Metrics.Matching;
using Tuneforge.Metrics.Rouge;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Teacher.Reasoning;

/// <summary>Whether a teacher's final answer agrees with the reference answer, by reason.agreement and reason.threshold.</summary>
public sealed class AnswerAgreement(AgreementMetric metric, double threshold)
{
    private static readonly RougeScorer Rouge = new(RougeTokenizer.Default);

    public double Score(string reference, string answer) => metric switch
    {
        AgreementMetric.ExactMatch => ExactMatch.Score(reference, answer),
        _ => Rouge.Score(reference, answer).RougeL.F1,
    };

    public bool Agrees(string reference, string answer) => Score(reference, answer) >= threshold;
}
