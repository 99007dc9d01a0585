namespace Tuneforge.Engine.Training.Worker;

/// <summary>
/// The names of the PyTorch worker's inputs, written by <c>tuneforge-engine prepare-train</c> into
/// <c>&lt;out&gt;/worker/</c> and read by src/Tuneforge.Worker (tuneforge_worker/inputs.py).
/// </summary>
/// The folder itself and the events file are the stage contract's (<see cref="TrainOutputs"/>).
public static class WorkerFolder
{
    public const string SettingsFile = "worker.json";
    public const string InitialAdapter = "initial_adapter";
    public const string BaseModel = "base";

    /// <summary>The chat template trained with, which the worker stores beside the weights as the native engine does.</summary>
    public const string ChatTemplate = Text.ChatTemplateText.FileName;

    public static string TrainBatches(int rank) => $"train-{rank}.safetensors";
    public static string EvalBatches(int rank) => $"eval-{rank}.safetensors";
}
