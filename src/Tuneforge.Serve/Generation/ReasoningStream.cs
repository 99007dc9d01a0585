using System.Text;

namespace Tuneforge.Serve.Generation;

/// <summary>
/// Splits generated text into reasoning (inside <c>&lt;think&gt;…&lt;/think&gt;</c>) and answer while it streams, as
/// DeepSeek's API returns <c>reasoning_content</c> and <c>content</c>. Text that might be half a tag, and newlines at
/// the edges of the reasoning, are held back until the next piece decides them. Reasoning is trimmed of newlines and
/// the answer of leading newlines, as the chat templates' <c>SplitReasoning</c> does.
/// </summary>
public sealed class ReasoningStream(bool thinkOpened)
{
    private const string Open = "<think>";
    private const string Close = "</think>";

    private enum State { Undecided, Reasoning, Answer }

    private State _state = State.Undecided;
    private string _pending = "";
    private string _heldNewlines = "";
    private bool _reasoningStarted;
    private bool _trimAnswerStart;
    private readonly StringBuilder _reasoning = new();
    private readonly StringBuilder _answer = new();

    /// <summary>The reasoning so far; null when the text has no reasoning block.</summary>
    public string? Reasoning => HasReasoning ? _reasoning.ToString() : null;

    public string Answer => _answer.ToString();

    public bool HasReasoning { get; private set; }

    /// <summary>Takes the next piece of generated text; returns the reasoning and answer text that are final now.</summary>
    public (string Reasoning, string Answer) Push(string piece)
    {
        _pending += piece;
        return Process(final: false);
    }

    /// <summary>Generation ended: releases what was held back.</summary>
    public (string Reasoning, string Answer) Finish() => Process(final: true);

    private (string Reasoning, string Answer) Process(bool final)
    {
        var reasoning = new StringBuilder();
        var answer = new StringBuilder();
        while (true)
        {
            switch (_state)
            {
                case State.Undecided:
                    var trimmed = _pending.TrimStart();
                    if (trimmed.StartsWith(Open, StringComparison.Ordinal))
                    {
                        _pending = trimmed[Open.Length..];
                        EnterReasoning();
                        continue;
                    }
                    if (!final && Open.StartsWith(trimmed, StringComparison.Ordinal)) return Done();
                    if (thinkOpened) EnterReasoning();
                    else _state = State.Answer;
                    continue;

                case State.Reasoning:
                    var close = _pending.IndexOf(Close, StringComparison.Ordinal);
                    if (close >= 0)
                    {
                        EmitReasoning(reasoning, _pending[..close], last: true);
                        _pending = _pending[(close + Close.Length)..];
                        _state = State.Answer;
                        _trimAnswerStart = true;
                        continue;
                    }
                    var hold = final ? 0 : PartialCloseAtEnd(_pending);
                    EmitReasoning(reasoning, _pending[..^hold], last: final);
                    _pending = _pending[^hold..];
                    return Done();

                default:
                    if (_trimAnswerStart)
                    {
                        _pending = _pending.TrimStart('\n');
                        if (_pending.Length == 0) return Done();
                        _trimAnswerStart = false;
                    }
                    answer.Append(_pending);
                    _answer.Append(_pending);
                    _pending = "";
                    return Done();
            }
        }

        (string, string) Done() => (reasoning.ToString(), answer.ToString());
    }

    private void EnterReasoning()
    {
        _state = State.Reasoning;
        HasReasoning = true;
    }

    private void EmitReasoning(StringBuilder output, string text, bool last)
    {
        text = _heldNewlines + text;
        _heldNewlines = "";
        if (!_reasoningStarted) text = text.TrimStart('\n');
        if (last)
        {
            text = text.TrimEnd('\n');
        }
        else
        {
            var kept = text.TrimEnd('\n');
            _heldNewlines = text[kept.Length..];
            text = kept;
        }
        if (text.Length == 0) return;
        _reasoningStarted = true;
        output.Append(text);
        _reasoning.Append(text);
    }

    // The longest end of the text that could be the start of "</think>".
    private static int PartialCloseAtEnd(string text)
    {
        for (var length = Math.Min(Close.Length - 1, text.Length); length > 0; length--)
        {
            if (text.AsSpan(text.Length - length).SequenceEqual(Close.AsSpan(0, length))) return length;
        }
        return 0;
    }
}
