#!/usr/bin/env bash
# The engine on a GPU machine: restores TorchSharp's CUDA backend, trains a few steps of the R1-Distill-Qwen-1.5B
# shape on the GPU and prints tokens/s and peak GPU memory; then the PyTorch worker's ddp/fsdp2 check if torch+CUDA is
# there. Nothing in the tests needs it.
#   eng/gpu-check.sh [WORK_DIR]        # default /tmp/tuneforge-gpu-check; needs nvidia-smi, the .NET SDK and NuGet
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/tuneforge-gpu-check}"
mkdir -p "$work"

command -v nvidia-smi >/dev/null || { echo "gpu-check: nvidia-smi not found: this is not a machine with an NVIDIA GPU and driver" >&2; exit 2; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader

# 1. The engine with libtorch-cuda (eng/LibTorch.targets: -p:TorchBackend=cuda).
engine_dir="$work/engine"
if ! dotnet publish "$root/src/Tuneforge.Engine.Cli" -c Release -p:TorchBackend=cuda -o "$engine_dir" >"$work/restore.log" 2>&1; then
  if grep -qE "NU1101|NU1102|NU1103|NU1301" "$work/restore.log"; then
    version=$(sed -n 's/.*libtorch-cuda-12.8-linux-x64" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")
    echo "gpu-check: NuGet cannot restore libtorch-cuda-12.8-linux-x64 $version (TorchSharp's CUDA backend, ~2.5 GB) from:" >&2
    dotnet nuget list source 2>/dev/null | sed -n 's/^ *\(https\?:.*\|\/.*\)$/  \1/p' >&2
    echo "  Add a source that serves it (dotnet nuget add source URL) or put the .nupkg files in a local folder source; see $work/restore.log" >&2
  else
    echo "gpu-check: building the engine with TorchBackend=cuda failed; see $work/restore.log" >&2
    tail -20 "$work/restore.log" >&2
  fi
  exit 3
fi
export TUNEFORGE_ENGINE="$engine_dir/tuneforge-engine"

# 2. The 1.5B shape (random weights, streamed to disk once).
model="$work/r1-distill-qwen-1.5b-shape"
[ -f "$model/config.json" ] || "$TUNEFORGE_ENGINE" init --preset r1-distill-qwen-1.5b-shape --seed 0 --out "$model" | tail -1

# 3. A few LoRA and QLoRA steps on the GPU, peak GPU memory sampled every 200 ms.
samples="$work/gpu-memory.csv"
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 >"$samples" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
BENCH_DEVICE=cuda python3 "$root/eng/bench/scale.py" "$model" train_lora,train_qlora
kill $sampler; trap - EXIT
echo "peak GPU memory (whole card, MiB): $(sort -n "$samples" | tail -1)"

# 4. The PyTorch worker: ddp and fsdp2 under torchrun with NCCL, when this Python has torch with CUDA.
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  python3 "$root/eng/gpu/worker_check.py" prepare "$work/worker" && python3 "$root/eng/gpu/worker_check.py" run "$work/worker"
else
  echo "gpu-check: python3 has no torch with CUDA: the PyTorch worker's ddp/fsdp2 check (eng/gpu/worker_check.py) is skipped"
fi
