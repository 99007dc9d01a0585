using Tuneforge.Data.Pretraining.Formats;

namespace Tuneforge.Data.Tests.Pretraining;

public sealed class FormatTests
{
    [Fact]
    public void Wrapped_lines_join_without_a_space_between_chinese_characters_and_with_one_between_words()
    {
        Assert.Equal("本文档提供了关于 Debian 发行版的常见问题。", ProseLines.Join(["    本文档提供了关于 Debian 发", "    行版的常见问题。"]));
        Assert.Equal("This document answers frequently asked questions.", ProseLines.Join(["This document answers", "  frequently asked questions."]));
        Assert.Equal(["第一段。", "second one"], ProseLines.Paragraphs(["第一段。", "", "  ", "second", "one"]));
    }

    [Fact]
    public void A_debian_manual_is_a_document_per_numbered_section_without_its_contents_tables_or_bare_chapter_titles()
    {
        const string text = """
            Debian 常见问题

            目录

                1. 定义和概览
                    1.1. 本 FAQ 文档是什么？

            第 1 章 定义和概览

            1.1. 本 FAQ 文档是什么？

                本文档提供了关于 Debian 发行版的常见问题（以及解
                答！）。

                +------+
                |表格 |
                +------+

            1.2.\u00A0什么是 Debian GNU/Linux？

                Debian GNU/Linux 是 Linux 操作系统的一个发行版。
            """;
        Assert.Equal(["1.1. 本 FAQ 文档是什么？\n本文档提供了关于 Debian 发行版的常见问题（以及解答！）。", "1.2. 什么是 Debian GNU/Linux？\nDebian GNU/Linux 是 Linux 操作系统的一个发行版。"],
            WrappedTextFormat.Documents(text.Replace("\r\n", "\n").Replace("\\u00A0", "\u00A0")));
    }

    [Fact]
    public void Fortune_entries_are_split_at_percent_lines_with_terminal_colours_removed_and_verse_lines_kept()
    {
        const string text = "\u001b[32m《静夜思》\u001b[m\n\u001b[33m作者：李白\u001b[m\n床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n%\nSecond entry.\n%\n";
        Assert.Equal(["《静夜思》\n作者：李白\n床前明月光，疑是地上霜。\n举头望明月，低头思故乡。", "Second entry."], FortuneFormat.Documents(text));
    }

    [Fact]
    public void A_man_page_keeps_headings_tags_and_words_and_drops_requests_comments_and_font_escapes()
    {
        const string page = """
            .\" DO NOT MODIFY THIS FILE!
            .TH LS 1 2022年9月 "GNU coreutils 9.1" 用户命令
            .SH 名称
            ls \- 列出目录内容
            .SH 描述
            .PP
            列出指定“文件”的信息。如果没有指定 \fB\-\-sort\fP，则按字母
            排序项目。
            .TP
            \fB\-a\fP, \fB\-\-all\fP
            不要忽略以点号起始的条目
            .IP "\(bu" 4
            参见
            .BR dir (1)
            和 \f(CWvdir\fR\(em它们相同。
            """;
        Assert.Equal(["名称\nls - 列出目录内容\n描述\n列出指定“文件”的信息。如果没有指定 --sort，则按字母排序项目。\n-a, --all\n不要忽略以点号起始的条目\n•\n参见dir(1)和 vdir—它们相同。"],
            ManPageFormat.Documents(page.Replace("\r\n", "\n")));
        Assert.Empty(ManPageFormat.Documents(".so man1/other.1\n"));
    }

    [Fact]
    public void An_html_page_is_its_visible_text_by_paragraph_without_head_scripts_or_navigation()
    {
        const string page = """
            <html><head><title>行</title><script>var x = "<p>no</p>";</script></head>
            <body><header><a href="x">LibreOffice 7.4 帮助</a></header><aside><nav>目录</nav></aside>
            <h1 id="h">行</h1>
            <p class="paragraph">设置行高以及<span class="emph">隐藏或显示</span>选中的
            行。</p><!-- a comment -->
            <ul><li>One &amp; two</li><li>三&nbsp;四</li></ul>
            <footer>© The Document Foundation</footer></body></html>
            """;
        Assert.Equal(["行\n设置行高以及隐藏或显示选中的行。\nOne & two\n三 四"], HtmlFormat.Documents(page));
    }

    [Fact]
    public void Roff_escapes_become_their_characters()
    {
        Assert.Equal("a—b “q” \\ x-y ü", RoffEscapes.Apply("a\\(emb \\(lqq\\(rq \\e x\\-y \\[u00FC]"));
        Assert.Equal("bold small", RoffEscapes.Apply("\\fBbold\\fR \\s-1small\\s0"));
        Assert.Equal("text", RoffEscapes.Apply("text\\\" a comment"));
    }
}
