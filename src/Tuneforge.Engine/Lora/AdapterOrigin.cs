namespace Tuneforge.Engine.Lora;

/// <summary>What the adapter was trained on: adapter_config.json's <c>base_model_name_or_path</c> and <c>revision</c>.</summary>
public sealed record AdapterOrigin(string BaseModelNameOrPath, string? Revision = null);
