"""The engine's JSON-lines events (src/Tuneforge.Pipeline/Protocol/EngineEvent.cs): snake_case keys, nulls left out,
one flushed line each. Rank 0 writes them to stdout and appends them to <out>/events.jsonl, which launchers that
cannot read the process's stdout (Slurm, Kubernetes) tail; other ranks stay silent on stdout."""
import json
import math
import os
import sys

EVENTS_FILE = "events.jsonl"


def _clean(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


class Events:
    def __init__(self, output_directory, enabled):
        self.enabled = enabled
        self._file = None
        if enabled:
            os.makedirs(output_directory, exist_ok=True)
            self._file = open(os.path.join(output_directory, EVENTS_FILE), "a", encoding="utf-8")

    def emit(self, event_name, **fields):
        if not self.enabled:
            return
        event = {"event": event_name}
        event.update({k: v for k, v in _clean(fields).items() if v is not None})
        line = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        for stream in (sys.stdout, self._file):
            stream.write(line + "\n")
            stream.flush()

    def log(self, message, level="info"):
        self.emit("log", message=message, level=level)

    def step(self, step, total_steps, epoch, loss, lr, grad_norm, tokens_per_s, eta_s):
        self.emit("step", step=step, total_steps=total_steps, epoch=epoch, loss=loss, lr=lr, grad_norm=grad_norm, tokens_per_s=tokens_per_s, eta_s=eta_s)

    def evaluation(self, step, eval_loss):
        self.emit("eval", step=step, eval_loss=eval_loss)

    def checkpoint(self, step, path, eval_loss=None):
        self.emit("checkpoint", step=step, path=path, eval_loss=eval_loss)

    def artifact(self, path, kind, size=None):
        self.emit("artifact", path=path, kind=kind, bytes=size)

    def result(self, verb, data):
        # The data is verb-specific JSON and keeps its nulls, as the engine's result does.
        if self.enabled:
            line = json.dumps({"event": "result", "verb": verb, "data": _clean(data)}, ensure_ascii=False, separators=(",", ":"))
            for stream in (sys.stdout, self._file):
                stream.write(line + "\n")
                stream.flush()

    def error(self, message, hint=None, code=None):
        self.emit("error", message=message, hint=hint, code=code)

    def close(self):
        if self._file:
            self._file.close()
            self._file = None
