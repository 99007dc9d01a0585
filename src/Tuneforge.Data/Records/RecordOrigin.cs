namespace Tuneforge.Data.Records;

/// <summary>Which part of the data spec a record came from; Split treats each differently.</summary>
public enum RecordOrigin
{
    /// <summary>data.sources: split into train, val and test.</summary>
    Data,

    /// <summary>data.mix: interleaved into the train part only.</summary>
    Mix,

    /// <summary>data.reviews: an expert's corrected answer; always in the train part.</summary>
    Review,
}
