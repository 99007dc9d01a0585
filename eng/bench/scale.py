"""Per-stage figures of the engine at real sizes: peak RSS, seconds, tokens/s and peak RSS / bf16 weight bytes.

    eng/bench/scale.sh MODEL_DIR [STAGES] [--train-output DIR] [--write]   # MODEL_DIR from `tuneforge-engine init --preset ...`

Runs the engine verbs the build runs (train LoRA, train QLoRA, predict, quantize with every format) on MODEL_DIR with a
few steps and samples, each as its own process under /usr/bin/time, and prints one markdown row per stage and Quantize
step. With --write, the rows replace this model's table in docs/benchmarks.md (between <!-- scale:NAME --> markers).
Not a test: the machine's load changes the seconds; the peaks are what the issue's goals are about.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ENGINE = os.environ.get("TUNEFORGE_ENGINE") or os.path.join(ROOT, "src", "Tuneforge.Engine.Cli", "bin", "Release", "net10.0", "tuneforge-engine")
DEVICE = os.environ.get("BENCH_DEVICE", "cpu")   # eng/gpu-check.sh sets cuda
SAMPLES = os.path.join(ROOT, "data", "samples", "support-zh.jsonl")
STAGES = ("train_lora", "train_qlora", "predict", "quantize")
FORMATS = ["merged", "int8", "int4", "gguf_f16", "gguf_q8_0", "gguf_q4_k_m"]


def records(count, skip):
    with open(SAMPLES, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()][skip:skip + count]
    return [{"id": r["id"], "messages": [{"role": "user", "content": r["instruction"]}, {"role": "assistant", "content": r["output"]}]} for r in rows]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def weight_bytes(model):
    """Bytes of the weights in bfloat16: the parameter count times two, from the index or the single file's header."""
    index = os.path.join(model, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            total = json.load(f)["metadata"]["total_size"]
    else:
        total = os.path.getsize(os.path.join(model, "model.safetensors"))
    with open(os.path.join(model, "config.json")) as f:
        stored = json.load(f).get("torch_dtype", "float32")
    return total * 2 // (4 if stored == "float32" else 2)


def run(verb, job, work):
    """Runs one verb; returns (result data, wall seconds, max RSS bytes from /usr/bin/time)."""
    os.makedirs(work, exist_ok=True)
    job_path = os.path.join(work, "job.json")
    with open(job_path, "w", encoding="utf-8") as f:
        json.dump(dict(version=1, verb=verb, pipeline_name="bench-scale", **job), f, ensure_ascii=False, indent=1)
    out = os.path.join(work, "out")
    started = time.time()
    proc = subprocess.run(["/usr/bin/time", "-v", ENGINE, verb, "--job", job_path, "--out", out], capture_output=True, text=True)
    wall = time.time() - started
    with open(os.path.join(work, "stdout.jsonl"), "w") as f:
        f.write(proc.stdout)
    with open(os.path.join(work, "stderr.txt"), "w") as f:
        f.write(proc.stderr)
    if proc.returncode != 0:
        errors = [l for l in proc.stdout.splitlines() if '"error"' in l]
        raise SystemExit(f"{verb} failed (exit {proc.returncode}): {errors[-1] if errors else proc.stderr[-2000:]}\n  see {work}")
    result = next((json.loads(l)["data"] for l in reversed(proc.stdout.splitlines()) if l.startswith('{"event":"result"')), {})
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) * 1024
    return result, wall, rss, out


def main(argv):
    write = "--write" in argv
    args = [a for a in argv if a != "--write"]
    adapter_output = None
    if "--train-output" in args:   # reuse an earlier run's Train output for predict/quantize
        at = args.index("--train-output")
        adapter_output = os.path.abspath(args[at + 1])
        del args[at:at + 2]
    if not args:
        print(__doc__)
        return 2
    model = os.path.abspath(args[0])
    stages = args[1].split(",") if len(args) > 1 else list(STAGES)
    name = os.path.basename(model.rstrip("/"))
    weights = weight_bytes(model)
    work = tempfile.mkdtemp(prefix=f"bench-scale-{name}-", dir=os.environ.get("TMPDIR", "/tmp"))
    data = os.path.join(work, "data")
    os.makedirs(data)
    write_jsonl(os.path.join(data, "train.jsonl"), records(16, 0))
    write_jsonl(os.path.join(data, "val.jsonl"), records(2, 16))
    write_jsonl(os.path.join(data, "test.jsonl"), records(2, 18))
    model_spec = {"source": model, "chat_template": "deepseek-r1", "torch_dtype": "bfloat16", "device": DEVICE}
    # gradient_checkpointing as the guide's 7B pipelines set it: activations are then a layer's, not the model's.
    train = {"max_steps": 3, "per_device_train_batch_size": 2, "gradient_accumulation_steps": 1, "max_seq_length": 128, "bf16": True,
             "gradient_checkpointing": True,
             "logging_steps": 1, "eval_steps": 1000, "save_steps": 1000, "load_best_model_at_end": False,
             "lora": {"r": 16, "lora_alpha": 32, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]}}
    inputs = {"train": os.path.join(data, "train.jsonl"), "val": os.path.join(data, "val.jsonl")}
    # The forgetting check on 4 documents of 64 tokens: its default (64 × 256) would be most of a 7B run on a CPU.
    evaluate = {"max_new_tokens": 16, "batch_size": 2, "max_samples": 2, "compare_base": False,
                "forgetting": {"max_documents": 4, "max_tokens": 64}}
    rows = []

    def row(stage, peak, seconds, tokens_per_s=None):
        rows.append(f"| {name} | {stage} | {peak / 2**30:.2f} GiB | {seconds:.0f} s | "
                    f"{'' if tokens_per_s is None else f'{tokens_per_s:.1f}'} | {peak / weights:.2f} |")
        print(rows[-1], flush=True)

    for stage in stages:
        if stage in ("train_lora", "train_qlora"):
            spec = dict(train, method="lora" if stage == "train_lora" else "qlora")
            if stage == "train_qlora":
                spec["quantization"] = {"bnb_4bit_quant_type": "nf4", "bnb_4bit_blocksize": 64, "bnb_4bit_compute_dtype": "bfloat16"}
            result, wall, rss, out = run("train", {"model": model_spec, "train": spec, "inputs": inputs}, os.path.join(work, stage))
            row(f"Train {'LoRA' if stage == 'train_lora' else 'QLoRA'} ({spec['max_steps']} steps)", rss, wall, result.get("tokens_per_s"))
            if stage == "train_lora" or adapter_output is None: adapter_output = out
        elif stage == "predict":
            if adapter_output is None: raise SystemExit("predict needs a train stage before it")
            result, wall, rss, _ = run("predict", {"model": model_spec, "evaluate": evaluate,
                                                  "inputs": {"test": os.path.join(data, "test.jsonl"), "train_output": adapter_output}},
                                       os.path.join(work, stage))
            row("Evaluate (predict, 2 samples)", rss, wall, result.get("tokens_per_s"))
        elif stage == "quantize":
            if adapter_output is None: raise SystemExit("quantize needs a train stage before it")
            job = {"model": model_spec, "train": {"max_seq_length": 128}, "evaluate": evaluate,
                   "quantize": {"formats": FORMATS, "max_samples": 2, "group_size": 64},
                   "inputs": {"adapter": os.path.join(adapter_output, "adapter"), "test": os.path.join(data, "test.jsonl")}}
            result, wall, rss, _ = run("quantize", job, os.path.join(work, stage))
            timings = result.get("timings", {})
            for step, peak in result.get("peak_rss_by_step", {}).items():
                seconds = timings.get("merge_s" if step == "merge" else f"{step}_s", 0)
                row(f"Quantize: {step}", peak, seconds)
            # The stage resets its peak counter after each step, so the kernel's max RSS at exit (time -v) is only the last step's.
            row("Quantize (whole stage)", max(rss, result.get("peak_rss_bytes") or 0), wall)
        else:
            raise SystemExit(f"unknown stage '{stage}' (known: {', '.join(STAGES)})")
    print(f"(work files: {work}; bf16 weights {weights / 2**30:.2f} GiB)")
    if write:
        update_docs(name, weights, rows)
    return 0


def update_docs(name, weights, rows):
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    machine = f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, load {os.getloadavg()[0]:.0f}"
    table = "\n".join([f"<!-- scale:{name} -->",
                       f"`eng/bench/scale.sh {name}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {machine}; bf16 weights {weights / 2**30:.2f} GiB.",
                       "", "| model | stage | peak RSS | seconds | tokens/s | peak / bf16 weights |", "|---|---|---:|---:|---:|---:|", *rows,
                       f"<!-- /scale:{name} -->"])
    pattern = re.compile(rf"<!-- scale:{re.escape(name)} -->.*?<!-- /scale:{re.escape(name)} -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: table, text)
    else:
        marker = "<!-- /scale-tables -->"
        if marker not in text: raise SystemExit(f"{path}: no '{marker}' line to put the table before")
        text = text.replace(marker, table + "\n\n" + marker)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
