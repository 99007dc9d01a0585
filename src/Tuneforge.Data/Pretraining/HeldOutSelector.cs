using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Tuneforge.Data.Pretraining;

/// <summary>Decides by a document's text alone whether it is held out: the first 8 bytes of its SHA-256 as a fraction
/// of 2⁶⁴ below the share. Independent of order, seed and the other documents, so adding a source never moves a
/// document across the line.</summary>
public static class HeldOutSelector
{
    public static bool IsHeldOut(string text, double share)
    {
        if (share <= 0) return false;
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        var position = BinaryPrimitives.ReadUInt64BigEndian(digest) / 18446744073709551616.0;   // in [0, 1)
        return position < share;
    }
}
