using System.Text;

namespace Tuneforge.Text;

/// <summary>
/// Turns ids back into text as Hugging Face's ByteLevel decoder does: vocabulary entries become bytes, added tokens
/// their content, and invalid UTF-8 becomes U+FFFD.
/// </summary>
internal sealed class ByteLevelDecoder
{
    private readonly byte[]?[] _bytesById;
    private readonly string?[] _addedContentById;
    private readonly bool[] _specialById;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public ByteLevelDecoder(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<AddedToken> addedTokens, int vocabSize)
    {
        _bytesById = new byte[]?[vocabSize];
        _addedContentById = new string?[vocabSize];
        _specialById = new bool[vocabSize];
        foreach ((string token, int id) in vocab)
        {
            // Hugging Face falls back to the token's own UTF-8 when it is not in the byte alphabet.
            _bytesById[id] = ByteLevelAlphabet.ToBytes(token) ?? Encoding.UTF8.GetBytes(token);
        }

        foreach (AddedToken added in addedTokens)
        {
            _addedContentById[added.Id] = added.Content;
            _specialById[added.Id] = added.Special;
        }
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        var text = new StringBuilder();
        var pending = new List<byte>();
        foreach (int id in ids)
        {
            // Ids outside the vocabulary are dropped, as Hugging Face does (e.g. a model's padded embedding rows).
            if ((uint)id >= (uint)_bytesById.Length)
            {
                continue;
            }

            if (_addedContentById[id] is { } content)
            {
                if (skipSpecialTokens && _specialById[id])
                {
                    continue;
                }

                Flush(pending, text);
                text.Append(content);
            }
            else if (_bytesById[id] is { } bytes)
            {
                pending.AddRange(bytes);
            }
        }

        Flush(pending, text);
        return text.ToString();
    }

    private static void Flush(List<byte> pending, StringBuilder text)
    {
        if (pending.Count > 0)
        {
            text.Append(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)));
            pending.Clear();
        }
    }
}
