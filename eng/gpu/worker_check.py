"""The PyTorch worker's GPU paths (NCCL, bf16, strategy fsdp2 next to ddp), which Debian's torch 1.13 cannot run.

    python3 eng/gpu/worker_check.py prepare DIR   # here: the engine built (./build.sh) and a python3 with torch
    python3 eng/gpu/worker_check.py run DIR       # on a GPU machine (torch >= 2.4); DIR travels as it is

prepare writes a small base with the DeepSeek-R1 vocabulary (hidden 128, 2 layers, bf16, ~35 MB), the first 96
sample records as canonical splits, and `tuneforge-engine prepare-train` inputs for ddp and for fsdp2 (one process,
model.device cuda, bf16, 12 steps). run trains both under torchrun with NCCL, prints one line per step
(step, loss ddp, loss fsdp2) and exits non-zero when a run fails or their losses differ by more than 1% (bf16).
"""
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORKER = os.path.join(ROOT, "src", "Tuneforge.Worker")
STRATEGIES = ("ddp", "fsdp2")


def prepare(directory):
    import torch
    sys.path.insert(0, WORKER)
    from tuneforge_worker import safetensors_file
    from tuneforge_worker.config import ModelConfig
    from tuneforge_worker.model import CausalLM

    base = os.path.join(directory, "base")
    os.makedirs(base, exist_ok=True)
    config = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "vocab_size": 129280, "hidden_size": 128, "intermediate_size": 384,
              "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
              "tie_word_embeddings": True, "torch_dtype": "bfloat16", "bos_token_id": 0, "eos_token_id": 1}
    with open(os.path.join(base, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    model = CausalLM(ModelConfig.parse(config, "config.json"), torch.float32, torch.float32)
    generator = torch.Generator().manual_seed(0)
    weights = {}
    for name, parameter in model.named_parameters():
        value = torch.randn(parameter.shape, generator=generator)
        weights[name] = (1 + 0.1 * value if name.endswith("norm.weight") else 0.1 * value if name.endswith(".bias") else value * 1.5 / parameter.shape[-1] ** 0.5).bfloat16()
    safetensors_file.write(os.path.join(base, "model.safetensors"), weights)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(ROOT, "data", "tokenizers", "deepseek-r1", name), os.path.join(base, name))

    with open(os.path.join(ROOT, "data", "samples", "support-zh.jsonl"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()][:96]
    for split, part in (("train", records[:80]), ("val", records[80:])):
        with open(os.path.join(directory, f"{split}.jsonl"), "w", encoding="utf-8") as f:
            for r in part:
                messages = [{"role": "user", "content": r["instruction"]}, {"role": "assistant", "content": r["output"]}]
                f.write(json.dumps({"id": r["id"], "messages": messages}, ensure_ascii=False) + "\n")

    engine = os.path.join(ROOT, "src", "Tuneforge.Engine.Cli", "bin", "Release", "net10.0", "tuneforge-engine.dll")
    for strategy in STRATEGIES:
        out = os.path.join(directory, strategy)
        job = {"version": 1, "verb": "train", "repository_root": ROOT,
               "model": {"source": base, "chat_template": "deepseek-r1", "device": "cuda"},
               "train": {"engine": "torch", "bf16": True, "max_steps": 12, "per_device_train_batch_size": 8, "learning_rate": 2e-3,
                         "logging_steps": 1, "eval_steps": 6, "save_steps": 6, "max_seq_length": 256, "seed": 42,
                         "lora": {"r": 16, "lora_alpha": 32, "lora_dropout": 0.0, "target_modules": ["all-linear"]},
                         "distributed": {"nproc_per_node": 1, "strategy": strategy, "backend": "nccl"}},
               "inputs": {"train": os.path.join(directory, "train.jsonl"), "val": os.path.join(directory, "val.jsonl")}}
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "job.json"), "w") as f:
            json.dump(job, f, indent=2)
        subprocess.run(["dotnet", engine, "prepare-train", "--job", os.path.join(out, "job.json"), "--out", out], check=True, stdout=subprocess.DEVNULL)
        # The inputs name the base relative to themselves, so DIR can travel.
        settings_path = os.path.join(out, "worker", "worker.json")
        with open(settings_path) as f:
            settings = json.load(f)
        settings["base_model"] = os.path.join("..", "..", "base")
        with open(settings_path, "w") as f:
            json.dump(settings, f, indent=2)
    for name in ("tokenizer.json", "tokenizer_config.json"):   # the worker reads token ids, not text: less to carry
        os.remove(os.path.join(base, name))
    print(f"prepared {directory}: base/, {', '.join(STRATEGIES)} (copy it whole to the GPU machine)")


def run(directory):
    losses, failed = {}, []
    for strategy in STRATEGIES:
        out = os.path.join(directory, strategy)
        for stale in ("adapter", "checkpoints", "events.jsonl", "trainer_state.json"):
            path = os.path.join(out, stale)
            shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else os.path.exists(path) and os.remove(path)
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "1", "--redirects", "2", "--tee", "2",
                   "--log_dir", os.path.join(out, "torchrun-logs"), "-m", "tuneforge_worker", "--out", out]
        code = subprocess.run(command, env=dict(os.environ, PYTHONPATH=WORKER, PYTHONUNBUFFERED="1")).returncode
        events = [json.loads(l) for l in open(os.path.join(out, "events.jsonl"))] if os.path.exists(os.path.join(out, "events.jsonl")) else []
        losses[strategy] = [e["loss"] for e in events if e["event"] == "step"]
        result = next((e["data"] for e in events if e["event"] == "result"), None)
        print(f"{strategy}: exit {code}, {len(losses[strategy])} steps, result {json.dumps({k: result[k] for k in ('loss', 'eval_loss', 'tokens_per_s', 'strategy', 'backend', 'device')}) if result else None}")
        if code != 0 or result is None:
            failed.append(strategy)
    for step, pair in enumerate(zip(*(losses[s] for s in STRATEGIES)), 1):
        print(f"step {step}: " + "  ".join(f"{s} {v:.5f}" for s, v in zip(STRATEGIES, pair)))
    worst = max((abs(a - b) / a for a, b in zip(*(losses[s] for s in STRATEGIES))), default=float("inf"))
    print(f"max relative loss difference ddp vs fsdp2: {worst:.2e}")
    return 1 if failed or worst > 1e-2 else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("prepare", "run"):
        sys.exit(__doc__)
    os.makedirs(sys.argv[2], exist_ok=True)
    sys.exit(prepare(os.path.abspath(sys.argv[2])) or 0 if sys.argv[1] == "prepare" else run(os.path.abspath(sys.argv[2])))
