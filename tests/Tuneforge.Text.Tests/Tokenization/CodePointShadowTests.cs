using System.Globalization;

namespace Tuneforge.Text.Tests.Tokenization;

public sealed class CodePointShadowTests
{
    [Fact]
    public void Every_stand_in_has_the_category_it_stands_for()
    {
        foreach (UnicodeCategory category in Enum.GetValues<UnicodeCategory>())
        {
            Assert.Equal(category, CharUnicodeInfo.GetUnicodeCategory(CodePointShadow.StandIn(category)));
        }
    }

    [Fact]
    public void Astral_characters_become_one_char_and_offsets_map_back()
    {
        using CodePointShadow shadow = CodePointShadow.CreateIfNeeded("a😀𝐀b")!;

        Assert.Equal(4, shadow.Length);
        Assert.Equal('a', shadow.Text[0]);
        Assert.Equal(UnicodeCategory.OtherSymbol, CharUnicodeInfo.GetUnicodeCategory(shadow.Text[1]));
        Assert.Equal(UnicodeCategory.UppercaseLetter, CharUnicodeInfo.GetUnicodeCategory(shadow.Text[2]));
        Assert.Equal([0, 1, 3, 5, 6], Enumerable.Range(0, 5).Select(shadow.OriginalOffset));
    }

    [Fact]
    public void Text_without_surrogates_needs_no_shadow() =>
        Assert.Null(CodePointShadow.CreateIfNeeded("plain 中文 text"));
}
