using CsCheck;
using Tuneforge.Data.Pretraining;

namespace Tuneforge.Data.Tests.Pretraining;

public sealed class TokenPackerTests
{
    const int Bos = 0;
    const int Eos = 1;

    // Document tokens are 2..99, so BOS and EOS in a pack can only come from the packer.
    static readonly Gen<int[][]> Documents = Gen.Int[2, 99].Array[0, 40].Array[0, 25];

    [Fact]
    public void Packing_is_exact_every_stream_token_once_in_order_and_documents_separated_by_eos()
    {
        Gen.Select(Documents, Gen.Int[2, 64]).Sample((documents, seqLength) =>
        {
            var packs = TokenPacker.Pack(documents, Bos, Eos, seqLength);
            var stream = documents.SelectMany(d => d.Append(Eos)).ToArray();
            Assert.All(packs, p => Assert.Equal(Bos, p[0]));
            Assert.All(packs.SkipLast(1), p => Assert.Equal(seqLength, p.Length));
            Assert.Equal(stream, packs.SelectMany(p => p.Skip(1)).ToArray());          // nothing lost, repeated or reordered
            Assert.Equal(documents.Length, packs.Sum(p => p.Count(t => t == Eos)));
            Assert.DoesNotContain(packs, p => p.Skip(1).Contains(Bos));
            Assert.Equal((stream.Length + seqLength - 2) / (seqLength - 1), packs.Count);   // ceil(stream / (seqLength - 1))
        });
    }

    [Fact]
    public void A_document_longer_than_a_sequence_continues_in_the_next_one_after_its_bos()
    {
        var packs = TokenPacker.Pack([[10, 11, 12, 13, 14], [20, 21]], Bos, Eos, seqLength: 4);
        Assert.Equal([[0, 10, 11, 12], [0, 13, 14, 1], [0, 20, 21, 1]], packs);
    }

    [Fact]
    public void No_documents_make_no_sequences()
    {
        Assert.Empty(TokenPacker.Pack([], Bos, Eos, seqLength: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenPacker.Pack([[5]], Bos, Eos, seqLength: 1));
    }
}
