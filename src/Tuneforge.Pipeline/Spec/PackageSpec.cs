using System.ComponentModel;

namespace Tuneforge.Pipeline.Spec;

public sealed record PackageSpec
{
    [Description("GGUF formats (from quantize.formats) to put in the archive, with an Ollama Modelfile; empty = adapter only.")]
    public List<string> IncludeGguf { get; init; } = [];

    [Description("License of the released adapter (SPDX id).")]
    public string License { get; init; } = "apache-2.0";

    [Description("Intended use, for the model card.")]
    public string? IntendedUse { get; init; }

    [Description("Known limits, for the model card.")]
    public string? Limitations { get; init; }

    [Description("Folder of the archives, relative to the repository root.")]
    public string OutputDirectory { get; init; } = "dist";
}
