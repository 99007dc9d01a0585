"""LoRA as PEFT documents it, added to reference_forward.py's plain-torch model (float64), reading our adapter folder.

For every module named in adapter_model.safetensors (PEFT's saved names, "base_model.model." + module +
".lora_A.weight" [r, in] and ".lora_B.weight" [out, r]):

    y = x W^T + b + (x A^T B^T) * scaling,   scaling = lora_alpha / r, or lora_alpha / sqrt(r) with use_rslora

(dropout is off in inference). Checks adapter_config.json as PEFT would read it, that every adapter module is reached,
and writes the logits of every position as little-endian float32.

    python3 peft_lora_forward.py MODEL_DIR ADAPTER_DIR REQUEST.json OUT.bin
"""
import json
import math
import os
import struct
import sys

import torch

import reference_forward as ref

PREFIX = "base_model.model."


def read_adapter(adapter_dir):
    with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
        config = json.load(f)
    assert config["peft_type"] == "LORA", config["peft_type"]
    assert config["task_type"] == "CAUSAL_LM", config["task_type"]
    assert config["bias"] == "none" and not config["fan_in_fan_out"] and not config["use_dora"]
    assert not config["modules_to_save"] and not config["rank_pattern"] and not config["alpha_pattern"]
    path = os.path.join(adapter_dir, "adapter_model.safetensors")
    with open(path, "rb") as f:
        (header_len,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_len))
    assert header["__metadata__"] == {"format": "pt"}, header["__metadata__"]
    assert all(v["dtype"] == "F32" for k, v in header.items() if k != "__metadata__")

    tensors = ref.read_safetensors(path)
    a, b = {}, {}
    for name, tensor in tensors.items():
        assert name.startswith(PREFIX), name
        module, kind = name[len(PREFIX):].rsplit(".lora_", 1)
        assert module.rsplit(".", 1)[1] in config["target_modules"], module
        {"A.weight": a, "B.weight": b}[kind][module] = tensor
    assert a.keys() == b.keys()
    r = config["r"]
    scaling = config["lora_alpha"] / (math.sqrt(r) if config["use_rslora"] else r)
    return a, b, r, scaling


def main():
    model_dir, adapter_dir, request_path, out_path = sys.argv[1:5]
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    with open(request_path) as f:
        request = json.load(f)
    lora_a, lora_b, r, scaling = read_adapter(adapter_dir)

    base_linear = ref.linear
    reached = set()

    def linear_with_lora(x, w, name_prefix, weights):
        y = base_linear(x, w, name_prefix, weights)
        if name_prefix not in lora_a:
            return y
        a, b = lora_a[name_prefix], lora_b[name_prefix]
        assert a.shape == (r, x.shape[-1]) and b.shape == (y.shape[-1], r), (name_prefix, a.shape, b.shape)
        reached.add(name_prefix)
        return y + (x @ a.T @ b.T) * scaling

    ref.linear = linear_with_lora
    ids = torch.tensor(request["input_ids"], dtype=torch.int64)
    mask = torch.tensor(request.get("attention_mask") or [[1] * ids.shape[1]] * ids.shape[0], dtype=torch.int64)
    with torch.no_grad():
        logits = ref.forward(config, ref.read_weights(model_dir), ids, mask)
    assert reached == set(lora_a), sorted(set(lora_a) - reached)
    with open(out_path, "wb") as f:
        values = logits.to(torch.float32).flatten().tolist()
        f.write(struct.pack("<%df" % len(values), *values))


if __name__ == "__main__":
    main()
