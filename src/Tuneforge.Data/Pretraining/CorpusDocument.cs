namespace Tuneforge.Data.Pretraining;

/// <summary>One cleaned document of the corpus.</summary>
/// <param name="Id">Source name, file (relative to the source's folder) and position: <c>debian-faq-zh-cn/debian-faq.zh-cn.txt.gz#12</c>.</param>
/// <param name="Source">The source's name (the Debian package, by convention).</param>
/// <param name="Language">The source's language tag.</param>
public sealed record CorpusDocument(string Id, string Source, string Language, string Text);
