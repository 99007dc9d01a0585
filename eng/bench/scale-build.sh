#!/usr/bin/env bash
#   eng/bench/scale-build.sh /work/scale-models/qwen-7b [PIPELINE] [--set KEY=VALUE ...]
# The whole build (Clean → Package) on a real-size model folder with a few steps and samples; each stage's summary
# line states its peak RSS, /usr/bin/time the build's own. PIPELINE defaults to the guide's 7B QLoRA pipeline.
# Train's validation pass is off (a 7B val pass on two cores takes longer than the rest of Train); Evaluate still runs.
set -euo pipefail
model=$(realpath "$1"); shift
pipeline=pipelines/deepseek-r1-distill-qwen-7b-qlora.yaml
if [[ $# -gt 0 && $1 != --* ]]; then pipeline=$1; shift; fi
cd "$(dirname "$0")/../.."
exec /usr/bin/time -v ./build.sh Package --pipeline "$pipeline" --set model.source="$model" \
  --set train.max_steps=2 --set train.per_device_train_batch_size=1 --set train.gradient_accumulation_steps=1 \
  --set train.max_seq_length=128 --set train.warmup_steps=0 --set train.eval_steps=1000 --set train.save_steps=1000 \
  --set train.load_best_model_at_end=false --set train.eval_strategy=no \
  --set evaluate.max_samples=2 --set evaluate.max_new_tokens=8 --set 'evaluate.gates={}' \
  --set evaluate.forgetting.max_documents=4 --set evaluate.forgetting.max_tokens=64 \
  --set quantize.max_samples=2 --set 'quantize.formats=[int4, gguf_q4_k_m]' "$@"
