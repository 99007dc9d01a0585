"""PyTorch eager reference of one LoRA training step, for `tuneforge-engine bench-train` (run by it, same process tree).

The model is a Qwen2-shaped decoder written the way transformers' eager code computes it (RMSNorm in float32, RoPE
rotate-half, grouped-query attention by repeating K/V, explicit causal softmax attention as in torch 1.13, SwiGLU,
tied head), frozen in DTYPE, with LoRA (r, alpha = 2r, no dropout) on all seven linear layers of every layer, its
weights float32 and cast to DTYPE in forward (what autocast does). The step: forward, the full [batch, seq, vocab]
logits upcast to float32, cross-entropy over every position, backward, AdamW on the LoRA weights.

    python3 lora_step_reference.py '{"hidden": 768, "layers": 12, ..., "dtype": "bfloat16", "threads": 2}'

Prints one JSON line: step times, tokens/s, peak RSS.
"""
import json
import math
import resource
import sys
import time

import torch
import torch.nn.functional as F


def rms_norm(x, weight, eps):
    h = x.float()
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return weight * h.to(x.dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class LoraLinear(torch.nn.Module):
    def __init__(self, inp, out, bias, rank, dtype):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(out, inp, dtype=dtype) * 0.02, requires_grad=False)
        self.bias = torch.nn.Parameter(torch.zeros(out, dtype=dtype), requires_grad=False) if bias else None
        self.lora_a = torch.nn.Parameter(torch.empty(rank, inp).uniform_(-1 / math.sqrt(inp), 1 / math.sqrt(inp)))
        self.lora_b = torch.nn.Parameter(torch.zeros(out, rank))
        self.scaling = 2.0

    def forward(self, x):
        y = F.linear(x, self.weight, self.bias)
        return y + F.linear(F.linear(x, self.lora_a.to(x.dtype)), self.lora_b.to(x.dtype)) * self.scaling


class Layer(torch.nn.Module):
    def __init__(self, c, dtype):
        super().__init__()
        h, d, heads, kv, ffn, r = c["hidden"], c["head_dim"], c["heads"], c["kv_heads"], c["ffn"], c["rank"]
        self.heads, self.kv, self.d = heads, kv, d
        self.q = LoraLinear(h, heads * d, True, r, dtype)
        self.k = LoraLinear(h, kv * d, True, r, dtype)
        self.v = LoraLinear(h, kv * d, True, r, dtype)
        self.o = LoraLinear(heads * d, h, False, r, dtype)
        self.gate = LoraLinear(h, ffn, False, r, dtype)
        self.up = LoraLinear(h, ffn, False, r, dtype)
        self.down = LoraLinear(ffn, h, False, r, dtype)
        self.norm1 = torch.nn.Parameter(torch.ones(h, dtype=dtype), requires_grad=False)
        self.norm2 = torch.nn.Parameter(torch.ones(h, dtype=dtype), requires_grad=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        h = rms_norm(x, self.norm1, 1e-6)
        q = self.q(h).view(b, t, self.heads, self.d).transpose(1, 2)
        k = self.k(h).view(b, t, self.kv, self.d).transpose(1, 2)
        v = self.v(h).view(b, t, self.kv, self.d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        groups = self.heads // self.kv
        k = k[:, :, None].expand(b, self.kv, groups, t, self.d).reshape(b, self.heads, t, self.d)
        v = v[:, :, None].expand(b, self.kv, groups, t, self.d).reshape(b, self.heads, t, self.d)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.d) + mask
        attended = torch.softmax(scores.float(), dim=-1).to(q.dtype) @ v
        x = x + self.o(attended.transpose(1, 2).reshape(b, t, self.heads * self.d))
        h = rms_norm(x, self.norm2, 1e-6)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Model(torch.nn.Module):
    def __init__(self, c, dtype):
        super().__init__()
        self.embed = torch.nn.Parameter(torch.randn(c["vocab"], c["hidden"], dtype=dtype) * 0.02, requires_grad=False)
        self.layers = torch.nn.ModuleList(Layer(c, dtype) for _ in range(c["layers"]))
        self.norm = torch.nn.Parameter(torch.ones(c["hidden"], dtype=dtype), requires_grad=False)
        d = c["head_dim"]
        self.inv = 1.0 / (10000 ** (torch.arange(0, d, 2).float() / d))

    def forward(self, ids):
        t = ids.shape[1]
        x = self.embed[ids]
        angles = torch.arange(t).float()[:, None] * self.inv[None]
        angles = torch.cat([angles, angles], -1)
        cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
        mask = torch.full((t, t), float("-inf"), dtype=x.dtype).triu(1)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return F.linear(rms_norm(x, self.norm, 1e-6), self.embed)


def main():
    c = json.loads(sys.argv[1])
    torch.manual_seed(0)
    torch.set_num_threads(c["threads"])
    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16}[c["dtype"]]
    model = Model(c, dtype)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.0)
    ids = torch.randint(0, c["vocab"], (c["batch"], c["seq"]))
    times = []
    for step in range(c["warmup"] + c["steps"]):
        start = time.perf_counter()
        logits = model(ids[:, :-1]).float()
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        elapsed = time.perf_counter() - start
        if step >= c["warmup"]:
            times.append(elapsed)
        del logits, loss
    tokens = c["batch"] * (c["seq"] - 1)
    median = sorted(times)[len(times) // 2]
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "dtype": c["dtype"],
        "step_seconds": times,
        "tokens_per_step": tokens,
        "tokens_per_s": tokens / median,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "trainable_parameters": sum(p.numel() for p in params),
    }))


if __name__ == "__main__":
    main()
