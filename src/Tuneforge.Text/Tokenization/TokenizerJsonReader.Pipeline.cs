using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tuneforge.Text;

/// <summary>The text pipeline around the BPE model: normalizer, pre-tokenizer, decoder and post-processor.</summary>
internal sealed partial class TokenizerJsonReader
{
    private void ReadNormalizer(JsonElement element, string path)
    {
        string type = TypeOf(element, path);
        switch (type)
        {
            case "NFC": _normalization.Add(NormalizationForm.FormC); break;
            case "NFD": _normalization.Add(NormalizationForm.FormD); break;
            case "NFKC": _normalization.Add(NormalizationForm.FormKC); break;
            case "NFKD": _normalization.Add(NormalizationForm.FormKD); break;
            case "Sequence":
                int index = 0;
                foreach (JsonElement child in Items(element, "normalizers", path))
                {
                    ReadNormalizer(child, $"{path}.normalizers[{index++}]");
                }

                break;
            default:
                throw _file.Unsupported(path + ".type", $"the '{type}' normalizer");
        }
    }

    // Returns true when the pre-tokenizer ends with ByteLevel (what makes this a byte-level BPE).
    private bool ReadPreTokenizer(JsonElement element, string path)
    {
        string type = TypeOf(element, path);
        switch (type)
        {
            case "Sequence":
                JsonElement[] children = Items(element, "pretokenizers", path).ToArray();
                bool endsByteLevel = false;
                for (int i = 0; i < children.Length; i++)
                {
                    if (endsByteLevel)
                    {
                        throw _file.Unsupported($"{path}.pretokenizers[{i}]", "a pre-tokenizer step after ByteLevel");
                    }

                    endsByteLevel = ReadPreTokenizer(children[i], $"{path}.pretokenizers[{i}]");
                }

                return endsByteLevel;
            case "Split":
                _splitRules.Add(ReadSplit(element, path));
                return false;
            case "Digits":
                string digits = _file.Bool(element, "individual_digits", path, whenAbsent: false) ? @"\p{N}" : @"\p{N}+";
                _splitRules.Add(new SplitRule(Compile(digits, path), SplitBehavior.Isolated, invert: false, digits));
                return false;
            case "ByteLevel":
                if (_file.Bool(element, "add_prefix_space", path, whenAbsent: true))
                {
                    throw _file.Unsupported(path + ".add_prefix_space", "ByteLevel with add_prefix_space=true");
                }

                if (_file.Bool(element, "use_regex", path, whenAbsent: true))
                {
                    _splitRules.Add(new SplitRule(
                        Compile(PreTokenizerKinds.Gpt2Pattern, path), SplitBehavior.Isolated, invert: false, PreTokenizerKinds.Gpt2Pattern));
                }

                return true;
            default:
                throw _file.Unsupported(path + ".type", $"the '{type}' pre-tokenizer");
        }
    }

    private SplitRule ReadSplit(JsonElement element, string path)
    {
        JsonElement pattern = _file.Object(_file.Required(element, "pattern", path), path + ".pattern");
        string source;
        string regex;
        if (JsonFile.Optional(pattern, "Regex") is { } regexElement)
        {
            source = regex = _file.String(regexElement, path + ".pattern.Regex");
            if (regex.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
            {
                throw _file.Unsupported(path + ".pattern.Regex", "a regex that names characters outside the BMP");
            }
        }
        else if (JsonFile.Optional(pattern, "String") is { } stringElement)
        {
            source = _file.String(stringElement, path + ".pattern.String");
            regex = Regex.Escape(source);
        }
        else
        {
            throw _file.Error(path + ".pattern", "expected {\"Regex\": ...} or {\"String\": ...}.");
        }

        string behaviorName = _file.String(_file.Required(element, "behavior", path), path + ".behavior");
        if (!Enum.TryParse(behaviorName, ignoreCase: false, out SplitBehavior behavior))
        {
            throw _file.Unsupported(path + ".behavior", $"the split behavior '{behaviorName}'");
        }

        bool invert = _file.Bool(element, "invert", path, whenAbsent: false);
        return new SplitRule(Compile(regex, path + ".pattern"), behavior, invert, source);
    }

    private Regex Compile(string pattern, string path)
    {
        try
        {
            return new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw _file.Unsupported(path, $"a regex that .NET cannot compile ({e.Message})");
        }
    }

    private void CheckDecoder(JsonElement element, string path)
    {
        string type = TypeOf(element, path);
        if (type == "Sequence")
        {
            int index = 0;
            foreach (JsonElement child in Items(element, "decoders", path))
            {
                CheckDecoder(child, $"{path}.decoders[{index++}]");
            }
        }
        else if (type != "ByteLevel")
        {
            throw _file.Unsupported(path + ".type", $"the '{type}' decoder");
        }
    }

    // Post-processors only add special tokens around a sequence; Encode never does, so they are accepted and unused.
    private void CheckPostProcessor(JsonElement element, string path)
    {
        string type = TypeOf(element, path);
        if (type is not ("ByteLevel" or "TemplateProcessing" or "Sequence"))
        {
            throw _file.Unsupported(path + ".type", $"the '{type}' post-processor");
        }
    }
}
