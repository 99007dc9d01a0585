#!/usr/bin/env bash
# Per-stage peak RSS, seconds and tokens/s of the engine on a model folder (see eng/bench/scale.py).
#   tuneforge-engine init --preset r1-distill-qwen-1.5b-shape --out /work/scale-models/qwen-1.5b
#   eng/bench/scale.sh /work/scale-models/qwen-1.5b [train_lora,train_qlora,predict,quantize] [--write]
set -euo pipefail
exec python3 "$(dirname "$0")/scale.py" "$@"
