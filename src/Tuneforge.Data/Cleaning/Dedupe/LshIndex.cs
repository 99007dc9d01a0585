namespace Tuneforge.Data.Cleaning.Dedupe;

/// <summary>Banded LSH over MinHash signatures: per band, a table from the band's key to the items that share it.
/// Items are numbered 0, 1, 2 ... in the order added. Memory: about 20 bytes per item and band.</summary>
public sealed class LshIndex
{
    readonly LshParameters parameters;
    readonly BandTable[] tables;
    int[] next; // next[item * bands + band]: the previous item with the same band key, or -1
    int count;

    public LshIndex(LshParameters parameters)
    {
        this.parameters = parameters;
        tables = [.. Enumerable.Range(0, parameters.Bands).Select(_ => new BandTable())];
        next = new int[1024 * parameters.Bands];
    }

    public LshParameters Parameters => parameters;

    public int Count => count;

    /// <summary>One key per band: a hash of the band's rows of the signature.</summary>
    public uint[] BandKeys(ReadOnlySpan<uint> signature)
    {
        var keys = new uint[parameters.Bands];
        for (var band = 0; band < keys.Length; band++)
        {
            var h = 0x9E3779B97F4A7C15UL * (ulong)(band + 1);
            foreach (var row in signature.Slice(band * parameters.Rows, parameters.Rows)) h = (h ^ row) * 0xBF58476D1CE4E5B9UL;
            keys[band] = (uint)((h ^ (h >> 31)) >> 16);
        }
        return keys;
    }

    /// <summary>Adds the next item with its band keys; returns its number.</summary>
    public int Add(ReadOnlySpan<uint> bandKeys)
    {
        var item = count++;
        var bands = parameters.Bands;
        if ((long)count * bands > next.Length) Array.Resize(ref next, checked(Math.Max(next.Length * 2, count * bands)));
        for (var band = 0; band < bands; band++)
            next[item * bands + band] = tables[band].Swap(bandKeys[band], item);
        return item;
    }

    /// <summary>The last item added with this band key, or -1; <see cref="Next"/> gives the one before it.</summary>
    public int First(int band, uint key) => tables[band].Head(key);

    public int Next(int item, int band) => next[item * parameters.Bands + band];

    /// <summary>Calls <paramref name="visit"/> for every item sharing a band key (once per band it shares).</summary>
    public void ForEachCandidate(ReadOnlySpan<uint> bandKeys, Action<int> visit)
    {
        for (var band = 0; band < parameters.Bands; band++)
            for (var item = First(band, bandKeys[band]); item >= 0; item = Next(item, band))
                visit(item);
    }

    /// <summary>Open addressing with linear probing: band key → the last item added with it.</summary>
    sealed class BandTable
    {
        uint[] keys = new uint[64];
        int[] heads = new int[64]; // item + 1; 0 = empty slot
        int used;

        public int Head(uint key)
        {
            var mask = keys.Length - 1;
            for (var slot = (int)(Mix(key) & mask); heads[slot] != 0; slot = (slot + 1) & mask)
                if (keys[slot] == key) return heads[slot] - 1;
            return -1;
        }

        /// <summary>Makes <paramref name="item"/> the head for the key and returns the previous head (or -1).</summary>
        public int Swap(uint key, int item)
        {
            if ((used + 1) * 4 > keys.Length * 3) Grow();
            var mask = keys.Length - 1;
            var slot = (int)(Mix(key) & mask);
            for (; heads[slot] != 0; slot = (slot + 1) & mask)
            {
                if (keys[slot] != key) continue;
                var previous = heads[slot] - 1;
                heads[slot] = item + 1;
                return previous;
            }
            keys[slot] = key;
            heads[slot] = item + 1;
            used++;
            return -1;
        }

        void Grow()
        {
            var oldKeys = keys;
            var oldHeads = heads;
            keys = new uint[oldKeys.Length * 2];
            heads = new int[oldKeys.Length * 2];
            var mask = keys.Length - 1;
            for (var i = 0; i < oldKeys.Length; i++)
            {
                if (oldHeads[i] == 0) continue;
                var slot = (int)(Mix(oldKeys[i]) & mask);
                while (heads[slot] != 0) slot = (slot + 1) & mask;
                keys[slot] = oldKeys[i];
                heads[slot] = oldHeads[i];
            }
        }

        static uint Mix(uint key) => (key * 0x9E3779B1u) ^ (key >> 15);
    }
}
