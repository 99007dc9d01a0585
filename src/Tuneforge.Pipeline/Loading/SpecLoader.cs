using System.Text;
using Tuneforge.Pipeline.Spec;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tuneforge.Pipeline.Loading;

/// <summary>Loads a pipeline YAML file into a validated <see cref="PipelineSpec"/>, or throws
/// <see cref="SpecException"/> listing every problem with file:line:column and YAML path.</summary>
public static class SpecLoader
{
    public static PipelineSpec Load(string path, IEnumerable<string>? overrides = null, string? displayPath = null)
    {
        var shown = displayPath ?? path;
        if (!File.Exists(path))
            throw new SpecException([new SpecError(new SpecLocation(shown, 0, 0), "", "the pipeline file does not exist; pass --pipeline with a file under pipelines/.")]);
        return Parse(ReadText(path, shown), shown, overrides);
    }

    // Decoding would turn bytes that are not UTF-8 into U+FFFD silently, and values would carry them.
    static string ReadText(string path, string shown)
    {
        var bytes = File.ReadAllBytes(path);
        var bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, bom, bytes.Length - bom);
        }
        catch (DecoderFallbackException e)
        {
            var offset = bom + Math.Max(0, e.Index);
            var text = Encoding.UTF8.GetString(bytes, bom, Math.Min(offset, bytes.Length) - bom);
            var line = text.Count(c => c == '\n') + 1;
            var column = text.Length - text.LastIndexOf('\n');
            throw new SpecException([new SpecError(new SpecLocation(shown, line, column), "", "the file is not UTF-8 text; save it as UTF-8.")]);
        }
    }

    // YAML allows tab, line breaks and printable characters; others (NUL, other C0 controls) mean a damaged or binary file.
    static void CheckCharacters(string yaml, string sourceName)
    {
        var at = yaml.AsSpan().IndexOfAnyInRange('\u0000', '\u0008');
        foreach (var range in new[] { ('\u000B', '\u000C'), ('\u000E', '\u001F'), ('\u007F', '\u007F') })
        {
            var next = yaml.AsSpan().IndexOfAnyInRange(range.Item1, range.Item2);
            if (next >= 0 && (at < 0 || next < at)) at = next;
        }
        if (at < 0) return;
        var before = yaml.AsSpan(0, at);
        var line = before.Count('\n') + 1;
        var column = at - before.LastIndexOf('\n');
        throw new SpecException([new SpecError(new SpecLocation(sourceName, line, column), "",
            $"invalid YAML: the control character U+{(int)yaml[at]:X4} is not allowed; is this the pipeline text file?")]);
    }

    public static PipelineSpec Parse(string yaml, string sourceName, IEnumerable<string>? overrides = null)
    {
        var errors = new List<SpecError>();
        var origins = new Dictionary<YamlNode, string>(ReferenceEqualityComparer.Instance);
        var root = ReadRoot(yaml, sourceName);
        SpecOverrides.Apply(root, overrides ?? [], origins, errors);

        SpecLocation Locate(YamlNode node) => origins.TryGetValue(node, out var text)
            ? new SpecLocation($"--set {text}", 0, 0)
            : new SpecLocation(sourceName, (int)node.Start.Line, (int)node.Start.Column);

        var binder = new SpecBinder(Locate);
        var spec = (PipelineSpec)binder.Bind(root, typeof(PipelineSpec), "");
        errors.AddRange(binder.Errors);
        if (errors.Count > 0) throw new SpecException(errors);

        var index = SpecNodeIndex.Build(root);
        SpecLocation LocatePath(string path) => index.Find(path) is { } node ? Locate(node) : new SpecLocation(sourceName, 0, 0);
        var validator = new SpecValidator(LocatePath);
        validator.Validate(spec, "");
        SpecRules.Check(spec, validator.Fail);
        if (validator.Errors.Count > 0) throw new SpecException(validator.Errors);
        return spec;
    }

    static YamlMappingNode ReadRoot(string yaml, string sourceName)
    {
        CheckCharacters(yaml, sourceName);
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException is YamlException ie ? ie : e;
            var message = inner.Message.Replace("\n", " ").Trim();
            throw new SpecException([new SpecError(new SpecLocation(sourceName, (int)inner.Start.Line, (int)inner.Start.Column), "", $"invalid YAML: {message}")]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on an unclosed flow collection; its position is still right.
            var at = scanner.CurrentPosition;
            throw new SpecException([new SpecError(new SpecLocation(sourceName, (int)at.Line, (int)at.Column), "", "invalid YAML: cannot read on from here; is a '[', '{' or quote left unclosed above?")]);
        }
        catch (ArgumentException)
        {
            // ... and its document builder this way on a key left empty (`: 42`), found by the fuzz tests.
            var at = scanner.CurrentPosition;
            throw new SpecException([new SpecError(new SpecLocation(sourceName, (int)at.Line, (int)at.Column), "", "invalid YAML: cannot read on from here; is a key missing before a ':' above?")]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            throw new SpecException([new SpecError(new SpecLocation(sourceName, 1, 1), "", "the file is empty; a pipeline needs at least name and data.sources.")]);
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents[0].RootNode;
            throw new SpecException([new SpecError(new SpecLocation(sourceName, (int)node.Start.Line, (int)node.Start.Column), "", "a pipeline is a mapping of sections (name:, data:, train: ...).")]);
        }
        return root;
    }
}
