"""What a checkpoint folder holds, as the engine's TrainingCheckpoint: the trained weights (a PEFT adapter, or
model.safetensors for full fine-tuning), optimizer.safetensors (AdamW's m and v per weight, t in the metadata),
scheduler.json, rng_state.json (every rank's torch RNG, which draws the LoRA dropout masks) and trainer_state.json."""
import json
import os

from . import safetensors_file, weights

OPTIMIZER_FILE = "optimizer.safetensors"
SCHEDULER_FILE = "scheduler.json"
RNG_FILE = "rng_state.json"
STATE_FILE = "trainer_state.json"


def write(folder, tensors, inputs, optimizer_state, step_count, scheduler, rng, state):
    weights.write(folder, tensors, inputs)
    safetensors_file.write(os.path.join(folder, OPTIMIZER_FILE), optimizer_state, {"format": "pt", "step": str(step_count)})
    _json(os.path.join(folder, SCHEDULER_FILE), scheduler)
    _json(os.path.join(folder, RNG_FILE), {"torch": rng})
    write_state(os.path.join(folder, STATE_FILE), state)


def read(folder):
    """(trainer state, optimizer step count, optimizer tensors by name, each rank's RNG state)."""
    with open(os.path.join(folder, STATE_FILE), encoding="utf-8") as f:
        state = json.load(f)
    tensors, metadata = safetensors_file.read(os.path.join(folder, OPTIMIZER_FILE))
    with open(os.path.join(folder, RNG_FILE), encoding="utf-8") as f:
        rng = json.load(f)["torch"]
    return state, int(metadata["step"]), tensors, rng


def write_state(path, state):
    _json(path, state)


def _json(path, value):
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    os.replace(temporary, path)
