"""Independent forward pass of Llama / Qwen2 / Qwen3 causal LMs in plain torch (float64), for the engine's numerics tests.

Reads a Hugging Face folder (config.json + model.safetensors or a sharded index) without the safetensors or
transformers packages, and writes the logits of every position as little-endian float32.

    python3 reference_forward.py MODEL_DIR REQUEST.json OUT.bin
    REQUEST.json: {"input_ids": [[...], ...], "attention_mask": [[1, ...], ...]}   (mask optional; left padding)
"""
import json
import math
import os
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len])
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(data[base + begin:base + end])
        t = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]) if raw else torch.empty(0, dtype=DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"]).to(torch.float64)
    return tensors


def read_weights(model_dir):
    index = os.path.join(model_dir, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
        weights = {}
        for shard in shards:
            weights.update(read_safetensors(os.path.join(model_dir, shard)))
        return weights
    return read_safetensors(os.path.join(model_dir, "model.safetensors"))


def inverse_frequencies(config, head_dim):
    theta = config.get("rope_theta", 10000.0)
    inv = [1.0 / theta ** (2 * i / head_dim) for i in range(head_dim // 2)]
    scaling = config.get("rope_scaling") or {}
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind == "linear":
        inv = [f / scaling["factor"] for f in inv]
    elif kind == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        original = scaling["original_max_position_embeddings"]
        scaled = []
        for f in inv:
            wavelength = 2 * math.pi / f
            if wavelength < original / high:
                scaled.append(f)
            elif wavelength > original / low:
                scaled.append(f / factor)
            else:
                smooth = (original / wavelength - low) / (high - low)
                scaled.append((1 - smooth) * f / factor + smooth * f)
        inv = scaled
    return torch.tensor(inv, dtype=torch.float64)


def rms_norm(x, weight, eps):
    return weight * (x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps))


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return x * cos + torch.cat([-x2, x1], dim=-1) * sin


def linear(x, w, name_prefix, weights):
    bias = weights.get(name_prefix + ".bias")
    y = x @ weights[name_prefix + ".weight"].T
    return y + bias if bias is not None else y


def forward(config, weights, ids, mask):
    arch = config["architectures"][0]
    hidden, heads = config["hidden_size"], config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = config.get("head_dim") or hidden // heads
    eps = config["rms_norm_eps"]
    batch, length = ids.shape

    positions = (mask.cumsum(-1) - 1).clamp(min=0).to(torch.float64)                 # (B, T)
    angles = positions[..., None] * inverse_frequencies(config, head_dim)              # (B, T, D/2)
    angles = torch.cat([angles, angles], dim=-1)[:, None]                             # (B, 1, T, D)
    cos, sin = angles.cos(), angles.sin()
    i = torch.arange(length)
    allowed = (i[None, :] <= i[:, None])[None, None] & mask.bool()[:, None, None, :]   # (B, 1, T, T)
    allowed = allowed | torch.eye(length, dtype=torch.bool)[None, None]

    x = weights["model.embed_tokens.weight"][ids]
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}"
        h = rms_norm(x, weights[p + ".input_layernorm.weight"], eps)
        q = linear(h, None, p + ".self_attn.q_proj", weights).view(batch, length, heads, head_dim)
        k = linear(h, None, p + ".self_attn.k_proj", weights).view(batch, length, kv_heads, head_dim)
        v = linear(h, None, p + ".self_attn.v_proj", weights).view(batch, length, kv_heads, head_dim)
        if arch == "Qwen3ForCausalLM":
            q = rms_norm(q, weights[p + ".self_attn.q_norm.weight"], eps)
            k = rms_norm(k, weights[p + ".self_attn.k_norm.weight"], eps)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k = k.repeat_interleave(heads // kv_heads, dim=1)
        v = v.repeat_interleave(heads // kv_heads, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(head_dim)
        scores = scores.masked_fill(~allowed, float("-inf"))
        attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, heads * head_dim)
        x = x + linear(attended, None, p + ".self_attn.o_proj", weights)
        h = rms_norm(x, weights[p + ".post_attention_layernorm.weight"], eps)
        gate = linear(h, None, p + ".mlp.gate_proj", weights)
        up = linear(h, None, p + ".mlp.up_proj", weights)
        x = x + linear(torch.nn.functional.silu(gate) * up, None, p + ".mlp.down_proj", weights)
    x = rms_norm(x, weights["model.norm.weight"], eps)
    head = weights.get("lm_head.weight")
    if head is None or config.get("tie_word_embeddings", False):
        head = weights["model.embed_tokens.weight"]
    return x @ head.T


def main():
    model_dir, request_path, out_path = sys.argv[1:4]
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    with open(request_path) as f:
        request = json.load(f)
    ids = torch.tensor(request["input_ids"], dtype=torch.int64)
    mask = torch.tensor(request.get("attention_mask") or [[1] * ids.shape[1]] * ids.shape[0], dtype=torch.int64)
    with torch.no_grad():
        logits = forward(config, read_weights(model_dir), ids, mask)
    with open(out_path, "wb") as f:
        values = logits.to(torch.float32).flatten().tolist()
        f.write(struct.pack("<%df" % len(values), *values))


if __name__ == "__main__":
    main()
