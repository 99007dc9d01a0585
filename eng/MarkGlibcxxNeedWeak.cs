using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Marks one symbol-version need (e.g. GLIBCXX_3.4.32) weak in ELF64 little-endian shared objects: sets VER_FLG_WEAK
// in vna_flags of the matching Vernaux entry of .gnu.version_r. Idempotent; files without the need are left alone.
public class MarkGlibcxxNeedWeak : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; }
    [Required] public string VersionName { get; set; }

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                var offset = FindNeedFlagsOffset(bytes, VersionName);
                if (offset < 0) { Log.LogMessage(MessageImportance.Low, "{0}: no {1} need", path, VersionName); continue; }
                var flags = BitConverter.ToUInt16(bytes, offset);
                if ((flags & VerFlgWeak) != 0) { Log.LogMessage(MessageImportance.Low, "{0}: already weak", path); continue; }
                bytes[offset] = (byte)(bytes[offset] | VerFlgWeak);
                // Write beside and rename: never edit a file that may be hard-linked to the NuGet cache.
                var temp = path + ".patching";
                File.WriteAllBytes(temp, bytes);
                File.Delete(path); // replaces the link, not the linked file
                File.Move(temp, path);
                Log.LogMessage(MessageImportance.Normal, "{0}: marked {1} need weak", path, VersionName);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("Cannot patch {0}: {1}", path, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    // Returns the file offset of vna_flags of the named need, or -1 when the file has no such need.
    static int FindNeedFlagsOffset(byte[] elf, string name)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only ELF64 little-endian is supported");
        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            Check(elf, sh, 64);
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long verneed = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 0x2C); // sh_info = number of Verneed entries
            long strtabHeader = shoff + (long)link * shentsize;
            Check(elf, strtabHeader, 64);
            long strtab = (long)BitConverter.ToUInt64(elf, (int)strtabHeader + 0x18);
            long need = verneed;
            for (int n = 0; n < count; n++)
            {
                Check(elf, need, 16);
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    Check(elf, aux, 16);
                    long nameAt = strtab + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadCString(elf, nameAt) == name) return (int)aux + 4;
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return -1;
    }

    static void Check(byte[] elf, long at, int length)
    {
        if (at < 0 || at + length > elf.Length) throw new InvalidDataException("truncated ELF structure at offset " + at);
    }

    static string ReadCString(byte[] elf, long at)
    {
        Check(elf, at, 1);
        int end = Array.IndexOf(elf, (byte)0, (int)at);
        if (end < 0) throw new InvalidDataException("unterminated string at offset " + at);
        return Encoding.ASCII.GetString(elf, (int)at, end - (int)at);
    }
}
