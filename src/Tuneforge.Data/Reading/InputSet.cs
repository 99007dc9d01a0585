using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Reading;

/// <summary>Files read the same way: data.sources, or one data.mix entry (its own format, columns, default category
/// and source name). <paramref name="Key"/> is its spec key, for messages.</summary>
internal sealed record InputSet(string Key, IReadOnlyList<DataFile> Files, DataFormat Format, RecordMapper Mapper, RecordOrigin Origin, string? Dataset)
{
    public static InputSet OfSources(DataSpec data, string rootDirectory) =>
        new("data.sources", DataSources.Resolve(data.Sources, rootDirectory), data.Format,
            new RecordMapper(ColumnMap.From(data), data.DefaultCategory), RecordOrigin.Data, null);

    public static InputSet OfMix(DataSpec data, int index, string rootDirectory)
    {
        var mix = data.Mix[index];
        var key = $"data.mix[{index}].path";
        var mapper = new RecordMapper(new ColumnMap(mix.Columns ?? data.Columns), mix.DefaultCategory ?? data.DefaultCategory);
        var files = DataSources.Match(mix.Path, key, rootDirectory);
        return new InputSet(key, files, mix.Format, mapper, RecordOrigin.Mix, NameOf(mix));
    }

    /// <summary>The source name of a data.mix entry's records: its name, else its path as written.</summary>
    public static string NameOf(MixSourceSpec mix) => string.IsNullOrEmpty(mix.Name) ? mix.Path : mix.Name;

    /// <summary>data.sources and every data.mix entry; a file may belong to only one of them.</summary>
    public static IReadOnlyList<InputSet> All(DataSpec data, string rootDirectory)
    {
        List<InputSet> sets = [OfSources(data, rootDirectory)];
        var owner = sets[0].Files.ToDictionary(f => f.FullPath, _ => "data.sources", StringComparer.Ordinal);
        for (var i = 0; i < data.Mix.Count; i++)
        {
            var set = OfMix(data, i, rootDirectory);
            foreach (var file in set.Files)
                if (!owner.TryAdd(file.FullPath, set.Key))
                    throw new DataException($"{set.Key}: '{file.DisplayPath}' is also in {owner[file.FullPath]}; a file is either split (data.sources) or mixed into train (data.mix), and mixed once.");
            sets.Add(set);
        }
        return sets;
    }
}
