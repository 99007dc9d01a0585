namespace Tuneforge.Hub.Sources;

/// <summary>
/// Where a base model comes from: a local Hugging Face folder, a Hub repository (<c>hf://org/name[@revision]</c>),
/// or a preset the engine builds (<c>preset:NAME</c>).
/// </summary>
public abstract record ModelSource
{
    /// <summary>The Hub scheme prefix, <c>hf://</c>.</summary>
    public const string HubScheme = "hf://";

    /// <summary>The preset prefix, <c>preset:</c>.</summary>
    public const string PresetScheme = "preset:";

    /// <summary>The accepted forms, for error messages and help texts.</summary>
    public const string AcceptedForms = "a local model folder, hf://org/name[@revision] or preset:NAME";

    /// <summary>
    /// Parses a model source string. Syntax only: a local folder is not checked here (see <c>ModelFolder.Inspect</c>).
    /// </summary>
    /// <exception cref="ModelSourceFormatException">The string is empty or malformed; the message says how to write it.</exception>
    public static ModelSource Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            throw new ModelSourceFormatException(text, $"the model source is empty; write {AcceptedForms}");

        if (trimmed.StartsWith(HubScheme, StringComparison.OrdinalIgnoreCase))
            return HubModelSource.ParseBody(text, trimmed[HubScheme.Length..]);
        if (trimmed.StartsWith(PresetScheme, StringComparison.OrdinalIgnoreCase))
            return PresetModelSource.ParseBody(text, trimmed[PresetScheme.Length..]);

        RejectUrlLookalikes(text, trimmed);
        return new LocalModelSource(trimmed);
    }

    /// <summary>Like <see cref="Parse"/>, but returns the error message instead of throwing.</summary>
    public static bool TryParse(string text, out ModelSource? source, out string? error)
    {
        try
        {
            source = Parse(text);
            error = null;
            return true;
        }
        catch (ModelSourceFormatException e)
        {
            source = null;
            error = e.Message;
            return false;
        }
    }

    // "https://huggingface.co/org/name" or "s3://..." would otherwise be taken for a relative folder path.
    private static void RejectUrlLookalikes(string original, string trimmed)
    {
        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
            return;
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            var segments = uri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            var hint = segments.Length >= 2 ? $"; did you mean {HubScheme}{segments[0]}/{segments[1]}?" : "";
            throw new ModelSourceFormatException(original,
                $"web addresses are not model sources; write {HubScheme}org/name[@revision] (set HF_ENDPOINT for a mirror){hint}");
        }
        throw new ModelSourceFormatException(original,
            $"unknown scheme '{trimmed[..schemeEnd]}://'; write {AcceptedForms}");
    }
}
