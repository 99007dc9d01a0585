"""The decoder of Llama, Qwen2 and Qwen3 in plain PyTorch, computed as the engine computes it (src/Tuneforge.Engine/
Models): module names equal the Hugging Face state-dict keys, RMSNorm normalizes in float32, RoPE in the rotate-half
layout, grouped-query attention by repeating K/V, the softmax in float32, SwiGLU, an optional tied head. Every weight
is cast to the activations' dtype in forward, so a trained float32 weight computes in bfloat16 as under autocast.

The loss is computed only at the positions that carry one, a chunk of rows at a time: cross-entropy summed in float32.
"""
import math
import os
import json

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint

from . import safetensors_file
from .errors import WorkerError


def _cast(weight, dtype):
    return weight if weight is None or weight.dtype == dtype else weight.to(dtype)


class Projection(nn.Module):
    """y = x Wᵀ + b with HF's names (weight [out, in], bias [out]); created uninitialized for a checkpoint to fill."""

    def __init__(self, in_features, out_features, bias, dtype):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features, dtype=dtype))
        self.bias = nn.Parameter(torch.empty(out_features, dtype=dtype)) if bias else None

    def forward(self, x):
        return F.linear(x, _cast(self.weight, x.dtype), _cast(self.bias, x.dtype))


class RmsNorm(nn.Module):
    def __init__(self, size, eps, dtype):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.empty(size, dtype=dtype))

    def forward(self, x):
        h = x.float()
        normalized = (h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype)
        return _cast(self.weight, x.dtype) * normalized


class Embedding(nn.Module):
    def __init__(self, vocab, hidden, dtype):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(vocab, hidden, dtype=dtype))

    def forward(self, ids, dtype):
        return F.embedding(ids, self.weight).to(dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Attention(nn.Module):
    PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj")

    def __init__(self, c, dtype):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = c.num_attention_heads, c.num_key_value_heads, c.head_dim
        self.q_proj = Projection(c.hidden_size, self.heads * self.head_dim, c.qkv_bias, dtype)
        self.k_proj = Projection(c.hidden_size, self.kv_heads * self.head_dim, c.qkv_bias, dtype)
        self.v_proj = Projection(c.hidden_size, self.kv_heads * self.head_dim, c.qkv_bias, dtype)
        self.o_proj = Projection(self.heads * self.head_dim, c.hidden_size, c.o_bias, dtype)
        if c.qk_norm:
            self.q_norm = RmsNorm(self.head_dim, c.rms_norm_eps, dtype)
            self.k_norm = RmsNorm(self.head_dim, c.rms_norm_eps, dtype)
        else:
            self.q_norm = self.k_norm = None

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim)                     # (B, T, H, D)
        k = self.k_proj(x).view(b, t, self.kv_heads, self.head_dim)                  # (B, T, KV, D)
        v = self.v_proj(x).view(b, t, self.kv_heads, self.head_dim)
        if self.q_norm is not None:
            q, k = self.q_norm(q), self.k_norm(k)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)          # (B, H|KV, T, D)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        groups = self.heads // self.kv_heads
        if groups > 1:
            k = k[:, :, None].expand(b, self.kv_heads, groups, t, self.head_dim).reshape(b, self.heads, t, self.head_dim)
            v = v[:, :, None].expand(b, self.kv_heads, groups, t, self.head_dim).reshape(b, self.heads, t, self.head_dim)
        attended = attend(q, k, v, mask)                                              # (B, H, T, D)
        return self.o_proj(attended.transpose(1, 2).reshape(b, t, self.heads * self.head_dim))


def attend(q, k, v, mask):
    """softmax(q kᵀ/√d) v with the softmax in float32, as the engine's BlockCausalAttention; mask (B, 1, T, T) bool
    (True = may attend) or None for plain causal. On GPUs with torch's fused kernel, that kernel (O(T) memory)."""
    if q.is_cuda and hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=mask is None)
    t = q.shape[2]
    scores = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(q.shape[-1]))            # (B, H, T, T)
    if mask is None:
        mask = torch.ones(t, t, dtype=torch.bool, device=q.device).tril()
    scores = scores.masked_fill(~mask, float("-inf"))
    return scores.float().softmax(-1).to(q.dtype) @ v


class Mlp(nn.Module):
    PROJECTIONS = ("gate_proj", "up_proj", "down_proj")

    def __init__(self, c, dtype):
        super().__init__()
        self.gate_proj = Projection(c.hidden_size, c.intermediate_size, c.mlp_bias, dtype)
        self.up_proj = Projection(c.hidden_size, c.intermediate_size, c.mlp_bias, dtype)
        self.down_proj = Projection(c.intermediate_size, c.hidden_size, c.mlp_bias, dtype)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, c, dtype):
        super().__init__()
        self.input_layernorm = RmsNorm(c.hidden_size, c.rms_norm_eps, dtype)
        self.self_attn = Attention(c, dtype)
        self.post_attention_layernorm = RmsNorm(c.hidden_size, c.rms_norm_eps, dtype)
        self.mlp = Mlp(c, dtype)

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class Decoder(nn.Module):
    def __init__(self, c, dtype):
        super().__init__()
        self.embed_tokens = Embedding(c.vocab_size, c.hidden_size, dtype)
        self.layers = nn.ModuleList(DecoderLayer(c, dtype) for _ in range(c.num_hidden_layers))
        self.norm = RmsNorm(c.hidden_size, c.rms_norm_eps, dtype)


class CausalLM(nn.Module):
    """forward(batch) returns Σ cross-entropy over the batch's loss positions (float32 scalar)."""

    def __init__(self, config, dtype, compute_dtype, gradient_checkpointing=False):
        super().__init__()
        self.config = config
        self.compute_dtype = compute_dtype
        self.gradient_checkpointing = gradient_checkpointing
        self.model = Decoder(config, dtype)
        self.lm_head = None if config.tie_word_embeddings else Projection(config.hidden_size, config.vocab_size, False, dtype)
        self.register_buffer("inverse_frequencies", torch.tensor(config.inverse_frequencies(), dtype=torch.float32), persistent=False)
        # Rows per chunk of the head so a chunk's float32 logits hold about 2^24 (float32) or 2^23 values, as the engine.
        budget = 1 << 24 if compute_dtype == torch.float32 else 1 << 23
        self.chunk_rows = min(max(budget // config.vocab_size, 8), 8192)

    @property
    def head_weight(self):
        return self.model.embed_tokens.weight if self.lm_head is None else self.lm_head.weight

    def forward(self, input_ids, position_ids, mask, loss_rows, targets):
        hidden = self.hidden(input_ids, position_ids, mask)                          # (B, T, H)
        rows = hidden.reshape(-1, hidden.shape[-1]).index_select(0, loss_rows)        # (N, H)
        total = hidden.new_zeros((), dtype=torch.float32)
        for start in range(0, rows.shape[0], self.chunk_rows):
            part, target = rows[start:start + self.chunk_rows], targets[start:start + self.chunk_rows]
            if torch.is_grad_enabled() and rows.shape[0] > self.chunk_rows:
                # Recomputed in backward, so only one chunk's (rows × vocab) logits exist at a time.
                total = total + checkpoint(_chunk_loss, part, self.head_weight, target, use_reentrant=False)
            else:
                total = total + _chunk_loss(part, self.head_weight, target)
        return total

    def hidden(self, input_ids, position_ids, mask):
        x = self.model.embed_tokens(input_ids, self.compute_dtype)                    # (B, T, H)
        angles = position_ids.float()[..., None] * self.inverse_frequencies           # (B|1, T, D/2)
        angles = torch.cat([angles, angles], dim=-1)[:, None]                         # (B|1, 1, T, D)
        cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
        for layer in self.model.layers:
            if self.gradient_checkpointing and torch.is_grad_enabled():
                x = checkpoint(layer, x, cos, sin, mask, use_reentrant=False)
            else:
                x = layer(x, cos, sin, mask)
        return self.model.norm(x)


def _chunk_loss(rows, weight, targets):
    logits = F.linear(rows, _cast(weight, rows.dtype)).float()                        # (n, V)
    return F.cross_entropy(logits, targets, reduction="sum")


def weight_files(directory):
    index = os.path.join(directory, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index, encoding="utf-8") as f:
            return [os.path.join(directory, name) for name in sorted(set(json.load(f)["weight_map"].values()))]
    single = os.path.join(directory, "model.safetensors")
    if not os.path.exists(single):
        raise WorkerError(f"{directory}: no model.safetensors or model.safetensors.index.json",
                          "Give a Hugging Face folder with safetensors weights (convert .bin checkpoints first).", "checkpoint")
    return [single]


def load_weights(model, directory):
    """Copies a Hugging Face checkpoint into ``model`` (converting dtypes), with every name and shape checked first."""
    expected = dict(model.named_parameters())
    found, files = {}, weight_files(directory)
    for path in files:
        header, _, _ = safetensors_file.read_header(path)
        for name, info in header.items():
            found[name] = (path, info["shape"])
    redundant = {n for n in found if n.endswith("rotary_emb.inv_freq") or (model.lm_head is None and n == "lm_head.weight")}
    missing = sorted(set(expected) - set(found))
    unexpected = sorted(set(found) - set(expected) - redundant)
    mismatched = [f"{n}: expected {list(expected[n].shape)}, found {found[n][1]}" for n in sorted(expected) if n in found and list(expected[n].shape) != found[n][1]]
    if missing or unexpected or mismatched:
        lines = [f"{directory}: the checkpoint does not fit its config.json"]
        for label, items in (("missing", missing), ("unexpected", unexpected), ("shape mismatches", mismatched)):
            if items:
                lines.append(f"{label} ({len(items)}): {', '.join(items[:5])}{', ...' if len(items) > 5 else ''}")
        raise WorkerError("\n".join(lines), "Use the config.json that came with these weights.", "checkpoint")
    with torch.no_grad():
        for path in files:
            names = [n for n, (p, _) in found.items() if p == path and n in expected]
            tensors, _ = safetensors_file.read(path, names)
            for name in names:
                expected[name].copy_(tensors[name])
