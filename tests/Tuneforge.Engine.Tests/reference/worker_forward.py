"""The logits of the PyTorch worker's own decoder (src/Tuneforge.Worker), for checking it against the engine.

    PYTHONPATH=src/Tuneforge.Worker python3 worker_forward.py MODEL_DIR ADAPTER_DIR|- REQUEST.json OUT.bin

Builds the model from config.json, loads the weights, adds the adapter of ADAPTER_DIR (its r, alpha, rsLoRA and
targets from adapter_config.json) unless it is "-", and writes the float32 logits of every position of
REQUEST.json's {"input_ids": [[...], ...]}.
"""
import json
import os
import struct
import sys

import torch
import torch.nn.functional as F

from tuneforge_worker import lora
from tuneforge_worker.config import ModelConfig, config_path
from tuneforge_worker.model import CausalLM, load_weights


def main():
    model_dir, adapter_dir, request_path, out_path = sys.argv[1:5]
    config = ModelConfig.load(config_path(model_dir))
    model = CausalLM(config, torch.float32, torch.float32)
    load_weights(model, model_dir)
    if adapter_dir != "-":
        with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
            peft = json.load(f)
        scaling = peft["lora_alpha"] / (peft["r"] ** 0.5 if peft["use_rslora"] else peft["r"])
        settings = {"r": peft["r"], "scaling": scaling, "lora_dropout": 0.0, "target_modules": peft["target_modules"]}
        lora.load(lora.inject(model, settings, seed=0), adapter_dir)
    model.eval()
    with open(request_path) as f:
        ids = torch.tensor(json.load(f)["input_ids"], dtype=torch.int64)
    with torch.no_grad():
        hidden = model.hidden(ids, torch.arange(ids.shape[1])[None], None)
        logits = F.linear(hidden, model.head_weight).float()
    values = logits.flatten().tolist()
    with open(out_path, "wb") as f:
        f.write(struct.pack("<%df" % len(values), *values))


if __name__ == "__main__":
    main()
