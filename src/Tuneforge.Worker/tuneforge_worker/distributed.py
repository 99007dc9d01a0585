"""The processes torchrun started and how the model is split between them.

ddp: every rank holds the model; gradients are averaged after each step's last micro-batch (torch's
DistributedDataParallel, no_sync before). fsdp2: weights, gradients and optimizer state sharded per decoder layer
(torch's fully_shard, torch >= 2.4). deepspeed_zero3: DeepSpeed's ZeRO stage 3, where DeepSpeed is installed. The
last two need GPUs and a current torch; here (Debian's torch 1.13 on CPU) only ddp over gloo runs.

Every rank scales its loss by world_size / (response tokens of the whole step): the averaging then yields the
gradient of the step's token-normalized loss, as one process computing the whole step would.
"""
import base64
import contextlib
import os

import torch
import torch.distributed as dist

from .errors import WorkerError


class Runtime:
    """Rank, world size, device, backend and strategy, resolved as the spec's auto values say."""

    def __init__(self, settings):
        self.rank = int(os.environ.get("RANK", "0"))
        self.world_size = int(os.environ.get("WORLD_SIZE", "1"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        planned = settings["distributed"]["world_size"]
        if self.world_size != planned:
            raise WorkerError(f"the worker's inputs were prepared for {planned} process(es), but torchrun started {self.world_size}",
                              "Start torchrun with nnodes × nproc_per_node equal to train.distributed's, or prepare again.", "inputs")
        wanted = settings["device"]
        if wanted == "cuda" and not torch.cuda.is_available():
            raise WorkerError("model.device is cuda, but this torch sees no GPU", "Use device: auto or cpu, or run the worker on GPU nodes.", "device")
        self.cuda = wanted != "cpu" and torch.cuda.is_available()
        self.device = torch.device("cuda", self.local_rank) if self.cuda else torch.device("cpu")
        self.backend = {"auto": "nccl" if self.cuda else "gloo"}.get(settings["distributed"]["backend"], settings["distributed"]["backend"])
        self.strategy = {"auto": "fsdp2" if self.cuda and self.world_size > 1 else "ddp"}.get(settings["distributed"]["strategy"], settings["distributed"]["strategy"])
        if self.backend == "nccl" and not self.cuda:
            raise WorkerError("backend nccl needs GPUs, and this process has none", "Use backend gloo or auto.", "device")
        if self.cuda:
            torch.cuda.set_device(self.device)

    @property
    def is_main(self):
        return self.rank == 0

    def start(self):
        # fsdp2 and deepspeed need a process group even for one process.
        if (self.world_size > 1 or self.strategy != "ddp") and not dist.is_initialized():
            if not dist.is_available():
                raise WorkerError("this torch was built without torch.distributed", "Install a torch with distributed support on the nodes.", "device")
            dist.init_process_group(self.backend)

    def stop(self):
        if dist.is_initialized():
            dist.destroy_process_group()

    def sum(self, values):
        """Σ over ranks of a list of floats (float64)."""
        if self.world_size == 1:
            return list(values)
        t = torch.tensor(values, dtype=torch.float64, device=self.device if self.backend == "nccl" else "cpu")
        dist.all_reduce(t)
        return t.tolist()

    def gather(self, value):
        """Every rank's ``value`` (any picklable object), in rank order."""
        if self.world_size == 1:
            return [value]
        values = [None] * self.world_size
        dist.all_gather_object(values, value)
        return values

    def barrier(self):
        if self.world_size > 1:
            dist.barrier()

    def rng_state(self):
        state = {"cpu": base64.b64encode(torch.get_rng_state().numpy().tobytes()).decode("ascii")}
        if self.cuda:
            state["cuda"] = base64.b64encode(torch.cuda.get_rng_state(self.device).numpy().tobytes()).decode("ascii")
        return state

    def set_rng_state(self, state):
        torch.set_rng_state(torch.frombuffer(bytearray(base64.b64decode(state["cpu"])), dtype=torch.uint8))
        if self.cuda and "cuda" in state:
            torch.cuda.set_rng_state(torch.frombuffer(bytearray(base64.b64decode(state["cuda"])), dtype=torch.uint8), self.device)


def wrap(model, runtime, compute_dtype):
    """The strategy's handle on the model: forward, accumulation, clipping and gathering of full weights."""
    if runtime.strategy == "ddp":
        return Ddp(model, runtime)
    if runtime.strategy == "fsdp2":
        return Fsdp2(model, runtime, compute_dtype)
    if runtime.strategy == "deepspeed_zero3":
        return DeepSpeedZero3(model, runtime, compute_dtype)
    raise WorkerError(f"strategy {runtime.strategy!r} is unknown", "Use ddp, fsdp2 or deepspeed_zero3.", "inputs")


class Ddp:
    def __init__(self, model, runtime):
        self.model = model
        self.runtime = runtime
        self.module = model
        if runtime.world_size > 1:
            from torch.nn.parallel import DistributedDataParallel
            # Frozen weights are loaded from the same files on every rank: nothing to broadcast or reduce (and gloo
            # cannot broadcast bfloat16).
            frozen = [n for n, p in model.named_parameters() if not p.requires_grad] + [n for n, _ in model.named_buffers()]
            DistributedDataParallel._set_params_and_buffers_to_ignore_for_model(model, frozen)
            self.module = DistributedDataParallel(model, device_ids=[runtime.device.index] if runtime.cuda else None)

    def __call__(self, batch):
        return self.module(batch.input_ids, batch.position_ids, batch.mask, batch.loss_rows, batch.targets)

    def backward(self, loss, last):
        # Gradients are averaged over ranks only after the step's last micro-batch.
        sync = contextlib.nullcontext() if last or self.module is self.model else self.module.no_sync()
        with sync:
            loss.backward()

    def clip(self, parameters, max_norm):
        """The global L2 norm of the gradients (what is logged), scaled down to max_norm when above it (0: never)."""
        grads = [p.grad for p in parameters if p.grad is not None]
        if not grads:
            return 0.0
        total = torch.stack([g.norm() for g in grads]).norm().item()
        if max_norm > 0 and total == total and total != float("inf"):
            coefficient = max_norm / (total + 1e-6)
            if coefficient < 1:
                for g in grads:
                    g.mul_(coefficient)
        return total

    def step(self, optimizer, learning_rate):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    def full(self, tensor):
        return tensor.detach()

    def local(self, full, like):
        """This rank's part of a full tensor shaped like ``like`` (all of it without sharding)."""
        return full.to(like.device, like.dtype)

    @property
    def evaluation_module(self):
        return self.model


class Fsdp2(Ddp):
    def __init__(self, model, runtime, compute_dtype):
        # Old torch lacks these, and on Python 3.11 torch 1.13's fsdp module does not even import (a dataclass error).
        try:
            from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard
        except Exception:
            try:
                from torch.distributed._composable.fsdp import MixedPrecisionPolicy, fully_shard
            except Exception as e:
                raise WorkerError(f"strategy fsdp2 needs torch >= 2.4 (fully_shard); this torch is {torch.__version__} ({type(e).__name__}: {e})",
                                  "Install a current torch on the nodes, or use strategy: ddp.", "strategy") from None
        self.model, self.runtime = model, runtime
        # Frozen and trained weights of a layer are gathered together, in the compute dtype; gradients reduced in float32.
        policy = MixedPrecisionPolicy(param_dtype=compute_dtype, reduce_dtype=torch.float32)
        for layer in model.model.layers:
            fully_shard(layer, mp_policy=policy)
        fully_shard(model, mp_policy=policy)
        self.module = model

    def backward(self, loss, last):
        self.module.set_requires_gradient_sync(last)
        loss.backward()

    def clip(self, parameters, max_norm):
        norm = torch.nn.utils.clip_grad_norm_(parameters, max_norm if max_norm > 0 else float("inf"))
        return (norm.full_tensor() if hasattr(norm, "full_tensor") else norm).item()

    def full(self, tensor):
        tensor = tensor.detach()
        return tensor.full_tensor() if hasattr(tensor, "full_tensor") else tensor

    def local(self, full, like):
        if not hasattr(like, "device_mesh"):
            return full.to(like.device, like.dtype)
        try:
            from torch.distributed.tensor import distribute_tensor
        except ImportError:
            from torch.distributed._tensor import distribute_tensor
        return distribute_tensor(full.to(like.dtype), like.device_mesh, like.placements)

    @property
    def evaluation_module(self):
        return self.module


class DeepSpeedZero3(Ddp):
    def __init__(self, model, runtime, compute_dtype):
        try:
            import deepspeed
        except Exception as e:
            raise WorkerError(f"strategy deepspeed_zero3 needs DeepSpeed on the nodes ({e})",
                              "pip install deepspeed in the worker's Python, or use strategy: fsdp2.", "strategy") from None
        self.deepspeed, self.model, self.runtime = deepspeed, model, runtime
        self.compute_dtype = compute_dtype
        self.module = None

    def attach(self, optimizer, max_norm):
        """DeepSpeed owns the optimizer; called once it exists. Clipping is its gradient_clipping."""
        config = {
            "train_micro_batch_size_per_gpu": 1,
            "gradient_accumulation_steps": 1,
            "gradient_clipping": max_norm,
            "zero_optimization": {"stage": 3},
            "zero_allow_untested_optimizer": True,   # torch's AdamW, the one the other strategies use
            "bf16": {"enabled": self.compute_dtype == torch.bfloat16},
        }
        self.module, optimizer, _, _ = self.deepspeed.initialize(model=self.model, optimizer=optimizer, config=config)
        return optimizer

    def backward(self, loss, last):
        self.module.set_gradient_accumulation_boundary(last)
        self.module.backward(loss, scale_wrt_gas=False)

    def clip(self, parameters, max_norm):
        return None  # DeepSpeed clips inside step() and reports the norm after it

    def step(self, optimizer, learning_rate):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate
        self.module.step()
        return self.module.get_global_grad_norm()

    def full(self, tensor):
        with self.deepspeed.zero.GatheredParameters([tensor]):
            return tensor.detach().clone()

    def local(self, full, like):
        raise WorkerError("resuming or loading the best checkpoint is not supported with strategy deepspeed_zero3",
                          "Delete the output's checkpoints/ to start over, or use strategy fsdp2.", "strategy")

    @property
    def evaluation_module(self):
        return self.module
