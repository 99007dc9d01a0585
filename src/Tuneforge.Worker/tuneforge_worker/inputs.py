"""What ``tuneforge-engine prepare-train`` wrote into <out>/worker/ (src/Tuneforge.Engine/Training/Worker):
worker.json (settings, the step plan) and each rank's micro-batches, train-R.safetensors and eval-R.safetensors:
input_ids, position_ids, segment_ids (rows × length each, concatenated), loss_rows, targets (int32), and an index
of one int64 row per micro-batch: step, micro_batch, rows, length, packed, cell_offset, loss_offset, loss_count, tokens."""
import json
import os
from dataclasses import dataclass

import torch

from . import __version__, safetensors_file
from .errors import WorkerError

SETTINGS_FILE = "worker.json"
COLUMNS = ("step", "micro_batch", "rows", "length", "packed", "cell_offset", "loss_offset", "loss_count", "tokens")


@dataclass
class MicroBatch:
    """One micro-batch of one rank as tensors; ``weight`` 0 marks a placeholder (no rows for this rank) that still
    runs forward and backward on one token, so every rank takes part in the same collectives."""
    input_ids: torch.Tensor          # (B, T) int64
    position_ids: torch.Tensor       # (1, T) or (B, T) when packed
    mask: object                     # (B, 1, T, T) bool when packed, else None (causal)
    loss_rows: torch.Tensor          # (N) int64
    targets: torch.Tensor            # (N) int64
    tokens: int
    loss_tokens: int
    weight: float = 1.0

    def to(self, device):
        move = lambda t: None if t is None else t.to(device, non_blocking=True)
        return MicroBatch(move(self.input_ids), move(self.position_ids), move(self.mask), move(self.loss_rows), move(self.targets),
                          self.tokens, self.loss_tokens, self.weight)


def placeholder():
    one = torch.zeros(1, 1, dtype=torch.int64)
    return MicroBatch(one, one, None, torch.zeros(1, dtype=torch.int64), torch.zeros(1, dtype=torch.int64), 0, 0, weight=0.0)


class BatchFile:
    def __init__(self, path):
        tensors, metadata = safetensors_file.read(path)
        if metadata.get("format") != "tuneforge-batches" or tuple(metadata.get("columns", "").split(",")) != COLUMNS:
            raise WorkerError(f"{path}: not a batch file of this worker version (columns {metadata.get('columns')!r})",
                              "Run the Train stage again so prepare-train rewrites the worker's inputs.", "inputs")
        self.path = path
        self.index = tensors["index"].tolist()
        self.arrays = {k: v for k, v in tensors.items() if k != "index"}

    def batch(self, row):
        _, _, rows, length, packed, cells, losses, loss_count, tokens = row
        if rows == 0:
            return placeholder()
        cell = slice(cells, cells + rows * length)
        ids = self.arrays["input_ids"][cell].long().view(rows, length)
        positions = self.arrays["position_ids"][cell].long().view(rows, length)
        mask = None
        if packed:
            # A token sees the earlier tokens of its own example; padding (segment −1) sees padding only.
            segments = self.arrays["segment_ids"][cell].long().view(rows, length)
            causal = torch.ones(length, length, dtype=torch.bool).tril()
            mask = (segments[:, :, None] == segments[:, None, :]) & causal
            mask = mask[:, None]
        else:
            positions = positions[:1]
        loss = slice(losses, losses + loss_count)
        return MicroBatch(ids, positions, mask, self.arrays["loss_rows"][loss].long(), self.arrays["targets"][loss].long(), tokens, loss_count)

    def by_step(self):
        """{step: [micro-batches in order]}."""
        steps = {}
        for row in self.index:
            steps.setdefault(row[0], []).append(row)
        return steps


class WorkerInputs:
    def __init__(self, directory):
        self.directory = os.path.abspath(directory)
        path = os.path.join(self.directory, SETTINGS_FILE)
        try:
            with open(path, encoding="utf-8") as f:
                self.settings = json.load(f)
        except FileNotFoundError:
            raise WorkerError(f"{path}: not found", "Run `tuneforge-engine prepare-train --job job.json --out DIR` first; it writes DIR/worker/.", "inputs") from None
        if self.settings.get("format") != __version__:
            raise WorkerError(f"{path}: written for {self.settings.get('format')!r}, but this worker is {__version__}",
                              "Use the worker package of the same checkout as the engine (src/Tuneforge.Worker).", "inputs")
        self.steps = self.settings["steps"]

    def path(self, name):
        return name if name is None or os.path.isabs(name) else os.path.join(self.directory, name)

    def train_file(self, rank):
        return BatchFile(os.path.join(self.directory, f"train-{rank}.safetensors"))

    def eval_file(self, rank):
        return BatchFile(os.path.join(self.directory, f"eval-{rank}.safetensors"))
