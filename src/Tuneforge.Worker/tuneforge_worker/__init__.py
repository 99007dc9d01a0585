"""Tuneforge's PyTorch worker: the Train stage of ``train.engine: torch`` under torchrun (DDP, FSDP2, DeepSpeed ZeRO-3).

It trains on the inputs ``tuneforge-engine prepare-train`` wrote (tokenized micro-batches, the step plan, the
step-0 adapter) and writes what the native engine writes: a PEFT adapter, trainer_state.json, checkpoints, and the
same JSON-lines events. See README.md beside this package.
"""

# Must equal TrainStage.WorkerSalt in src/Tuneforge.Protocol/Stages/TrainStage.cs (a test checks it).
__version__ = "tuneforge-worker/2"
