namespace Tuneforge.Teacher.Augmentation;

/// <summary>What Augment did (augment_report.json).</summary>
/// <param name="Records">Train records read.</param>
/// <param name="Asked">Paraphrases read from the teacher (asked now or from the answer cache).</param>
/// <param name="Kept">Paraphrases added to the train split.</param>
/// <param name="DroppedDuplicates">Near duplicates of a train question or of an earlier paraphrase.</param>
/// <param name="DroppedLeaks">Near duplicates of a val or test question: kept out so the evaluation stays unseen.</param>
/// <param name="DroppedEmpty">Answers with nothing after the reasoning (a reasoning teacher that used up max_tokens inside &lt;think&gt;).</param>
/// <param name="TokensSpent">Prompt + completion tokens reported for answers asked in this run.</param>
/// <param name="FromCache">Answers that came from the teacher cache.</param>
public sealed record AugmentReport(int Records, int Asked, int Kept, int DroppedDuplicates, int DroppedLeaks, int DroppedEmpty, long TokensSpent, long FromCache);
