using Tuneforge.Text;

namespace Tuneforge.Engine.Generation;

/// <summary>The id that fills the left of shorter prompts in a batch (masked, never attended to) and feeds finished rows.</summary>
public static class PaddingToken
{
    public static int For(HfTokenizer tokenizer) => tokenizer.PadId ?? tokenizer.EosId ?? 0;
}
