"""The training loop of the native engine's Trainer (src/Tuneforge.Engine/Training/Loop/Trainer.cs), in PyTorch:
steps of accumulated micro-batches with the loss normalized over all response tokens of the step (of every rank),
clipping, AdamW, the learning rate of each step from the plan; logging, evaluation, checkpoints, early stopping,
resuming from the latest complete checkpoint in the output folder; a clear error on a NaN or infinite loss."""
import copy
import json
import math
import os
import resource
import time

import torch

from . import checkpoint_files, weights
from .checkpoints import CheckpointStore
from .distributed import wrap
from .errors import WorkerError

STATE_FILE = "trainer_state.json"


class Trainer:
    def __init__(self, inputs, output_directory, runtime, events):
        self.inputs, self.s = inputs, inputs.settings
        self.output = os.path.abspath(output_directory)
        self.runtime, self.events = runtime, events
        self.store = CheckpointStore(os.path.join(self.output, "checkpoints"))
        self.local = {"seconds": 0.0, "steps": 0, "tokens": 0, "window_seconds": 0.0, "window_tokens": 0}

    def run(self):
        s, runtime = self.s, self.runtime
        compute = compute_dtype(s["compute_dtype"], runtime.cuda)
        self.events.log(f"loading {self.inputs.path(s['base_model'])} ({s['method']}, {str(compute).replace('torch.', '')} on {runtime.device.type}, "
                        f"{runtime.world_size} process(es), strategy {runtime.strategy}, backend {runtime.backend}, {torch.get_num_threads()} threads per process)")
        model, trained = weights.build(self.inputs, compute, runtime.device)
        resume_from = self._latest_checkpoint()
        if resume_from is not None:
            loaded = weights.read(resume_from, self.inputs)
            with torch.no_grad():
                for name, parameter in trained.items():
                    parameter.copy_(loaded[name])
        self.strategy = wrap(model, runtime, compute)
        self.model = model
        # Under FSDP2 the parameters are now sharded: fetch them from the model again.
        self.parameters = dict(zip(trained.keys(), _same_order(model, trained)))
        self.optimizer = self._optimizer()
        if hasattr(self.strategy, "attach"):
            self.optimizer = self.strategy.attach(self.optimizer, s["max_grad_norm"])
        self.train_file = self.inputs.train_file(runtime.rank)
        self.eval_file = self.inputs.eval_file(runtime.rank)
        state = self._start_or_resume(resume_from)
        self.state = state
        model.train()
        by_step = self.train_file.by_step()
        for info in self.inputs.steps[state["global_step"]:]:
            if state["resume"]["stopped_early"]:
                break
            self._step(info, by_step[info["step"]])
        return self._finish(resume_from)

    def _latest_checkpoint(self):
        if self.runtime.is_main:
            removed = self.store.delete_unfinished()
            if removed:
                self.events.log(f"removed {removed} unfinished checkpoint folder(s) of an interrupted save", "warning")
        self.runtime.barrier()
        steps = self.store.steps()
        if not steps:
            return None
        folder = self.store.path_of(steps[-1])
        with open(os.path.join(folder, STATE_FILE), encoding="utf-8") as f:
            saved = json.load(f)
        if saved["resume"]["fingerprint"] != self.s["fingerprint"]:
            raise WorkerError(f"{folder} belongs to a run with other settings or data, so it cannot be resumed",
                              f"Use a new --out folder, or delete {self.store.directory} to start over.", "checkpoint")
        return folder

    def _optimizer(self):
        o = self.s["optimizer"]
        # As the engine: LoRA weights all decay; a full fine-tune spares biases and norms.
        decays = lambda name: self.s["method"] != "full" or weights.decays(name)
        decay = [p for n, p in self.parameters.items() if decays(n)]
        plain = [p for n, p in self.parameters.items() if not decays(n)]
        groups = [{"params": decay, "weight_decay": o["weight_decay"]}]
        if plain:
            groups.append({"params": plain, "weight_decay": 0.0})
        return torch.optim.AdamW(groups, lr=self.s["scheduler"]["learning_rate"], betas=(o["beta1"], o["beta2"]), eps=o["epsilon"])

    def _start_or_resume(self, folder):
        if folder is None:
            return copy.deepcopy(self.s["trainer_state"])
        state, step_count, optimizer_state, rng = checkpoint_files.read(folder)
        for name, parameter in self.parameters.items():
            self.optimizer.state[parameter] = {
                "step": torch.tensor(float(step_count)),
                "exp_avg": self.strategy.local(optimizer_state[name + ".exp_avg"], parameter),
                "exp_avg_sq": self.strategy.local(optimizer_state[name + ".exp_avg_sq"], parameter),
            }
        self.runtime.set_rng_state(rng[self.runtime.rank])
        self.events.log(f"resuming from {os.path.basename(folder)} (step {state['global_step']} of {len(self.inputs.steps)})")
        return state

    def _step(self, info, rows):
        step, runtime = info["step"], self.runtime
        clock = time.perf_counter()
        scale = runtime.world_size / info["loss_tokens"]
        local_sum = 0.0
        for i, row in enumerate(rows):
            batch = self.train_file.batch(row).to(runtime.device)
            loss = self.strategy(batch)
            local_sum += loss.item() * batch.weight
            self.strategy.backward(loss * (scale * batch.weight), last=i == len(rows) - 1)
        loss = runtime.sum([local_sum])[0] / info["loss_tokens"]
        if not math.isfinite(loss):
            raise self._non_finite("training loss", loss, step, info["epoch"])
        grad_norm = self.strategy.clip(list(self.parameters.values()), self.s["max_grad_norm"])
        if grad_norm is not None and not math.isfinite(grad_norm):
            raise self._non_finite("gradient norm", grad_norm, step, info["epoch"])
        reported = self.strategy.step(self.optimizer, info["learning_rate"])
        grad_norm = reported if grad_norm is None else grad_norm
        seconds = time.perf_counter() - clock
        self._record(info, loss, seconds)
        if info["log"]:
            self._log(step, info["learning_rate"], grad_norm)
        if info["evaluate"] and self.inputs.settings["result"]["val_examples"] > 0:
            self._evaluate(step)
        if info["save"] or self.state["resume"]["stopped_early"]:
            self._save(step)

    def _record(self, info, loss, seconds):
        state, r = self.state, self.state["resume"]
        state["global_step"] = info["step"]
        state["epoch"] = info["epoch"]
        r["window_loss_sum"] += loss
        r["window_steps"] += 1
        r["window_tokens"] += info["tokens"]
        r["run_loss_sum"] += loss
        r["run_steps"] += 1
        r["tokens_seen"] += info["tokens"]
        r["trained_tokens_seen"] += info["loss_tokens"]
        r["train_seconds"] += seconds
        self.local["seconds"] += seconds
        self.local["steps"] += 1
        self.local["tokens"] += info["tokens"]
        self.local["window_seconds"] += seconds
        self.local["window_tokens"] += info["tokens"]

    def _log(self, step, learning_rate, grad_norm):
        state, r, local = self.state, self.state["resume"], self.local
        loss = r["window_loss_sum"] / r["window_steps"]
        finite_norm = grad_norm if grad_norm is not None and math.isfinite(grad_norm) else None
        state["log_history"].append({"epoch": state["epoch"], "grad_norm": finite_norm, "learning_rate": learning_rate, "loss": round(loss, 6), "step": step})
        total = len(self.inputs.steps)
        tokens_per_s = local["window_tokens"] / local["window_seconds"] if local["window_seconds"] > 0 else None
        eta = (total - step) * local["seconds"] / local["steps"] if local["steps"] else None
        self.events.step(step, total, state["epoch"], loss, learning_rate, finite_norm, tokens_per_s, eta)
        r["window_loss_sum"], r["window_steps"], r["window_tokens"] = 0.0, 0, 0
        local["window_seconds"], local["window_tokens"] = 0.0, 0

    def evaluation_loss(self):
        """Cross-entropy over every response token of the val split, dropout off; each rank scores its share."""
        module = self.strategy.evaluation_module
        self.model.eval()
        total, tokens = 0.0, 0
        with torch.no_grad():
            for row in self.eval_file.index:
                batch = self.eval_file.batch(row).to(self.runtime.device)
                total += module(batch.input_ids, batch.position_ids, batch.mask, batch.loss_rows, batch.targets).item() * batch.weight
                tokens += batch.loss_tokens
        self.model.train()
        total, tokens = self.runtime.sum([total, tokens])
        return total / tokens if tokens > 0 else float("nan")

    def _evaluate(self, step):
        state, r = self.state, self.state["resume"]
        clock = time.perf_counter()
        loss = self.evaluation_loss()
        state["log_history"].append({"epoch": state["epoch"], "eval_loss": round(loss, 6), "eval_runtime": round(time.perf_counter() - clock, 3), "step": step})
        if not math.isfinite(loss):
            raise self._non_finite("validation loss", loss, step, state["epoch"])
        if state["best_metric"] is None or loss < state["best_metric"]:
            state["best_metric"], state["best_global_step"] = loss, step
            r["evaluations_without_improvement"] = 0
        else:
            r["evaluations_without_improvement"] += 1
        self.events.evaluation(step, loss)
        patience = self.s["early_stopping_patience"]
        if patience is not None and r["evaluations_without_improvement"] >= patience:
            r["stopped_early"] = True
            self.events.log(f"early stopping at step {step}: the validation loss has not improved for {patience} evaluation(s) "
                            f"(best {state['best_metric']:.4f} at step {state['best_global_step']})")

    def _save(self, step):
        state = self.state
        best = state["best_global_step"]
        if best is not None and (best == step or os.path.isdir(self.store.path_of(best))):
            state["best_model_checkpoint"] = os.path.relpath(self.store.path_of(best), self.output)
        tensors = {name: self.strategy.full(p) for name, p in self.parameters.items()}
        optimizer_state, step_count = {}, 0
        for name, parameter in self.parameters.items():
            saved = self.optimizer.state.get(parameter) or {}
            for key in ("exp_avg", "exp_avg_sq"):
                value = saved.get(key)
                optimizer_state[f"{name}.{key}"] = self.strategy.full(value) if value is not None else torch.zeros_like(tensors[name])
            step_count = int(saved["step"]) if "step" in saved else step_count
        rng = self.runtime.gather(self.runtime.rng_state())
        if self.runtime.is_main:
            scheduler = dict(self.s["scheduler"], last_update=step_count)
            path = self.store.save(step, lambda folder: checkpoint_files.write(folder, tensors, self.inputs, optimizer_state, step_count, scheduler, rng, state))
            self.events.checkpoint(step, path, state["best_metric"] if best == step else None)
            for deleted in self.store.rotate(self.s["save_total_limit"], best):
                self.events.log(f"removed checkpoint-{deleted} (save_total_limit {self.s['save_total_limit']})", "debug")
        self.runtime.barrier()

    def _finish(self, resumed_from):
        state, r = self.state, self.state["resume"]
        evals = [e["eval_loss"] for e in state["log_history"] if "eval_loss" in e]
        eval_loss = evals[-1] if evals else None
        loaded_best = None
        best = state["best_model_checkpoint"]
        if self.s["load_best_model_at_end"] and best and os.path.isdir(os.path.join(self.output, best)):
            if state["best_global_step"] != state["global_step"]:
                saved = weights.read(os.path.join(self.output, best), self.inputs)
                with torch.no_grad():
                    for name, parameter in self.parameters.items():
                        parameter.copy_(self.strategy.local(saved[name], parameter))
                self.events.log(f"loaded the best checkpoint, {best} (eval_loss {state['best_metric']:.4f}), as the final weights")
            loaded_best, eval_loss = best, state["best_metric"]
        train_loss = r["run_loss_sum"] / r["run_steps"] if r["run_steps"] else None
        losses = [e["loss"] for e in state["log_history"] if "loss" in e]
        state["log_history"] = [e for e in state["log_history"] if "train_loss" not in e]
        state["log_history"].append({
            "epoch": state["epoch"], "step": state["global_step"],
            "train_loss": round(train_loss, 6) if train_loss is not None else None,
            "train_runtime": round(r["train_seconds"], 3),
            "train_tokens_per_second": round(r["tokens_seen"] / r["train_seconds"], 1) if r["train_seconds"] > 0 else None,
        })
        tensors = {name: self.strategy.full(p) for name, p in self.parameters.items()}
        weights_directory = os.path.join(self.output, "adapter" if self.s["method"] != "full" else "model")
        if self.runtime.is_main:
            weights.save_final(weights_directory, tensors, self.inputs)
            checkpoint_files.write_state(os.path.join(self.output, STATE_FILE), state)
        self.runtime.barrier()
        local = self.local
        tokens_per_s = local["tokens"] / local["seconds"] if local["seconds"] > 0 else (r["tokens_seen"] / r["train_seconds"] if r["train_seconds"] > 0 else None)
        rounded = lambda x: round(x, 6) if x is not None else None
        result = dict(self.s["result"])
        result.update({
            "loss": rounded(losses[-1] if losses else None),
            "train_loss": rounded(train_loss),
            "eval_loss": rounded(eval_loss),
            "best_eval_loss": rounded(state["best_metric"]),
            "best_checkpoint": state["best_model_checkpoint"],
            "loaded_best_checkpoint": loaded_best,
            "global_step": state["global_step"],
            "epoch": state["epoch"],
            "stopped_early": r["stopped_early"],
            "resumed_from_step": resumed_from and int(os.path.basename(resumed_from).split("-")[-1]),
            "skipped_steps": r["skipped_steps"],
            "tokens_per_s": round(tokens_per_s, 1) if tokens_per_s is not None else None,
            "train_runtime_s": round(r["train_seconds"], 2),
            "tokens_seen": r["tokens_seen"],
            "trained_tokens_seen": r["trained_tokens_seen"],
            "compute_dtype": str(compute_dtype(self.s["compute_dtype"], self.runtime.cuda)).replace("torch.", ""),
            "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "weights": os.path.basename(weights_directory),
            "engine": "torch",
            "world_size": self.runtime.world_size,
            "strategy": self.runtime.strategy,
            "backend": self.runtime.backend if self.runtime.world_size > 1 else None,
            "device": self.runtime.device.type,
        })
        return weights_directory, result

    def _non_finite(self, what, value, step, epoch):
        steps = self.store.steps()
        kept = (f"The last good checkpoint, {os.path.relpath(self.store.path_of(steps[-1]), self.output)}, is kept; the next run resumes from it, "
                "so change a setting (which starts a fresh run) rather than rerunning as is.") if steps else "No checkpoint was written before it."
        kind = "NaN" if math.isnan(value) else "infinite"
        return WorkerError(f"the {what} became {kind} at step {step} (epoch {epoch:.2f}); training stopped. {kept}",
                           f"Lower train.learning_rate (now {self.s['scheduler']['learning_rate']}), keep train.max_grad_norm > 0 (now {self.s['max_grad_norm']}), "
                           "or check the data for broken records.", "non_finite")


def compute_dtype(name, cuda):
    if name == "auto":
        return torch.bfloat16 if cuda else torch.float32
    if name == "float16":
        raise WorkerError("float16 training needs dynamic loss scaling, which the torch engine does not do", "Use bf16: true instead.", "dtype")
    return getattr(torch, name)


def _same_order(model, trained):
    """The trained parameters as the model holds them now (a sharding strategy may have replaced them)."""
    by_name = dict(model.named_parameters())
    for name, parameter in trained.items():
        key = name[len("base_model.model."):] if name.startswith("base_model.model.") else name
        yield by_name.get(key, parameter)
