namespace Tuneforge.Data.Pretraining;

/// <summary>
/// Packs tokenized documents into sequences for causal LM training. The stream is every document followed by EOS;
/// each sequence is BOS and then the next <c>seqLength − 1</c> tokens of the stream, the last one shorter. So every
/// stream token is a target exactly once (BOS is only context), none is lost or repeated, and a document that starts
/// inside a sequence follows the previous one's EOS.
/// </summary>
public static class TokenPacker
{
    public static List<int[]> Pack(IEnumerable<int[]> documents, int bos, int eos, int seqLength)
    {
        if (seqLength < 2) throw new ArgumentOutOfRangeException(nameof(seqLength), seqLength, "a sequence needs BOS and at least one token");
        var packs = new List<int[]>();
        var current = new List<int>(seqLength) { bos };
        void Add(int token)
        {
            current.Add(token);
            if (current.Count < seqLength) return;
            packs.Add([.. current]);
            current.Clear();
            current.Add(bos);
        }
        foreach (var document in documents)
        {
            foreach (var token in document) Add(token);
            Add(eos);
        }
        if (current.Count > 1) packs.Add([.. current]);
        return packs;
    }
}
