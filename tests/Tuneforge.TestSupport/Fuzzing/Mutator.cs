using System.Buffers.Binary;
using System.Text;

namespace Tuneforge.TestSupport.Fuzzing;

/// <summary>Seeded mutations of a valid file, as a fuzzer's: bit flips, interesting bytes and integers (sizes, counts,
/// offsets at their limits), numbers in text made huge or negative, chunks deleted, repeated or spliced, truncation.
/// The same seed and case number always give the same bytes.</summary>
public static class Mutator
{
    static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'\\', (byte)'\n', (byte)'9', (byte)'-', (byte)'&', (byte)'*', (byte)'!', (byte)'|'];

    static readonly ulong[] InterestingIntegers = [0, 1, 2, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 1_000_000, 1 << 20];

    static readonly string[] InterestingNumbers = ["-1", "0", "2147483647", "2147483648", "4294967296", "9223372036854775807", "18446744073709551615",
        "99999999999999999999999", "1e308", "-9223372036854775808", "1.5", "NaN"];

    /// <summary>The mutated bytes of case <paramref name="index"/> of a campaign seeded with <paramref name="seed"/>.</summary>
    public static byte[] Mutate(byte[] original, int seed, int index)
    {
        var random = new Random(unchecked(seed * 1_000_003 + index)); // not HashCode.Combine: it differs between processes
        var bytes = new List<byte>(original);
        var count = 1 + random.Next(4);
        for (var i = 0; i < count && bytes.Count > 0; i++) Apply(bytes, random);
        return [.. bytes];
    }

    static void Apply(List<byte> bytes, Random random)
    {
        var at = random.Next(bytes.Count);
        switch (random.Next(10))
        {
            case 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 2:
                OverwriteInteger(bytes, at, random);
                break;
            case 3:
                ReplaceNumber(bytes, at, random);
                break;
            case 4:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(Math.Max(1, bytes.Count / 8))));
                break;
            case 5:
            {
                var length = Math.Min(bytes.Count - at, 1 + random.Next(64));
                bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                break;
            }
            case 6:
                bytes.RemoveRange(at, bytes.Count - at); // truncated
                break;
            case 7:
                bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256)));
                break;
            case 8:
            {
                var from = random.Next(bytes.Count);
                var length = Math.Min(Math.Min(bytes.Count - at, bytes.Count - from), 1 + random.Next(32));
                var chunk = bytes.GetRange(from, length);
                for (var i = 0; i < length; i++) bytes[at + i] = chunk[i];
                break;
            }
            default:
                // Near the start, where headers declare sizes and counts.
                OverwriteInteger(bytes, random.Next(Math.Min(bytes.Count, 64)), random);
                break;
        }
    }

    static void OverwriteInteger(List<byte> bytes, int at, Random random)
    {
        var width = new[] { 1, 2, 4, 8 }[random.Next(4)];
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(value, InterestingIntegers[random.Next(InterestingIntegers.Length)] + (ulong)(random.Next(3) - 1));
        for (var i = 0; i < width && at + i < bytes.Count; i++) bytes[at + i] = value[i];
    }

    // Text formats declare their sizes as decimal numbers: find the run of digits at or after `at` and swap it.
    static void ReplaceNumber(List<byte> bytes, int at, Random random)
    {
        var start = at;
        while (start < bytes.Count && !char.IsAsciiDigit((char)bytes[start])) start++;
        if (start == bytes.Count) return;
        var end = start;
        while (end < bytes.Count && char.IsAsciiDigit((char)bytes[end])) end++;
        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, Encoding.ASCII.GetBytes(InterestingNumbers[random.Next(InterestingNumbers.Length)]));
    }
}
