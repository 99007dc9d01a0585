"""config.json of the decoder families the engine trains (Qwen2, Qwen3, Llama), read as the engine's ConfigReader
reads it: head_dim when given, grouped-query heads, rope_scaling (linear, llama3), tied embeddings, biases."""
import json
import math
import os
from dataclasses import dataclass
from typing import Optional

from .errors import WorkerError

# HF name -> (qkv bias, o_proj bias, q/k norm); None = from attention_bias (src/Tuneforge.Engine/Models/ModelArchitecture.cs).
ARCHITECTURES = {
    "LlamaForCausalLM": (None, None, False),
    "Qwen2ForCausalLM": (True, False, False),
    "Qwen3ForCausalLM": (None, None, True),
}


@dataclass(frozen=True)
class RopeScaling:
    type: str
    factor: float
    low_freq_factor: float = 1.0
    high_freq_factor: float = 4.0
    original_max_position_embeddings: int = 8192

    def apply(self, frequencies):
        if self.type == "linear":
            return [f / self.factor for f in frequencies]
        # llama3: long wavelengths divided by the factor, short ones kept, the band between interpolated.
        low_wavelength = self.original_max_position_embeddings / self.low_freq_factor
        high_wavelength = self.original_max_position_embeddings / self.high_freq_factor
        scaled = []
        for f in frequencies:
            wavelength = 2 * math.pi / f
            if wavelength < high_wavelength:
                scaled.append(f)
            elif wavelength > low_wavelength:
                scaled.append(f / self.factor)
            else:
                smooth = (self.original_max_position_embeddings / wavelength - self.low_freq_factor) / (self.high_freq_factor - self.low_freq_factor)
                scaled.append((1 - smooth) * f / self.factor + smooth * f)
        return scaled


@dataclass(frozen=True)
class ModelConfig:
    architecture: str
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    rms_norm_eps: float
    rope_theta: float
    rope_scaling: Optional[RopeScaling]
    tie_word_embeddings: bool
    qkv_bias: bool
    o_bias: bool
    qk_norm: bool
    mlp_bias: bool
    torch_dtype: str

    @staticmethod
    def load(path):
        try:
            with open(path, encoding="utf-8") as f:
                root = json.load(f)
        except FileNotFoundError:
            raise WorkerError(f"{path}: not found", "A model folder needs the config.json of its checkpoint.", "config") from None
        except json.JSONDecodeError as e:
            raise WorkerError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}", None, "config") from None
        return ModelConfig.parse(root, path)

    @staticmethod
    def parse(root, source):
        def bad(key, problem):
            return WorkerError(f"{source}: {key}: {problem}", "Fix config.json or use the config that came with the checkpoint.", "config")

        def integer(key, default=None, positive=True):
            value = root.get(key, default)
            if value is None:
                raise bad(key, "missing")
            if not isinstance(value, int) or isinstance(value, bool) or (positive and value <= 0):
                raise bad(key, f"expected a positive integer, found {json.dumps(value)}")
            return value

        architectures = root.get("architectures") or []
        name = architectures[0] if architectures and isinstance(architectures[0], str) else None
        if name not in ARCHITECTURES:
            raise bad("architectures", f"{name!r} is not supported (supported: {', '.join(ARCHITECTURES)})")
        qkv_bias, o_bias, qk_norm = ARCHITECTURES[name]
        attention_bias = bool(root.get("attention_bias", False))
        hidden, heads = integer("hidden_size"), integer("num_attention_heads")
        kv_heads = integer("num_key_value_heads", heads)
        if heads % kv_heads:
            raise bad("num_key_value_heads", f"{kv_heads} must divide num_attention_heads ({heads})")
        head_dim = root.get("head_dim") or None
        if head_dim is None and hidden % heads:
            raise bad("hidden_size", f"{hidden} is not divisible by num_attention_heads ({heads}) and no head_dim is given")
        head_dim = head_dim or hidden // heads
        if head_dim % 2:
            raise bad("head_dim", f"{head_dim} must be even (RoPE rotates pairs)")
        if root.get("use_sliding_window"):
            raise bad("use_sliding_window", "true is not supported: the engine attends over the full context")
        if root.get("hidden_act", "silu") != "silu":
            raise bad("hidden_act", f"{root.get('hidden_act')!r} is not supported; these architectures use silu")
        return ModelConfig(
            architecture=name,
            vocab_size=integer("vocab_size"),
            hidden_size=hidden,
            intermediate_size=integer("intermediate_size"),
            num_hidden_layers=integer("num_hidden_layers"),
            num_attention_heads=heads,
            num_key_value_heads=kv_heads,
            head_dim=head_dim,
            rms_norm_eps=float(root.get("rms_norm_eps", 1e-6)),
            rope_theta=float(root.get("rope_theta", 10000.0)),
            rope_scaling=_rope_scaling(root.get("rope_scaling"), bad),
            tie_word_embeddings=bool(root.get("tie_word_embeddings", False)),
            qkv_bias=attention_bias if qkv_bias is None else qkv_bias,
            o_bias=attention_bias if o_bias is None else o_bias,
            qk_norm=qk_norm,
            mlp_bias=name == "LlamaForCausalLM" and bool(root.get("mlp_bias", False)),
            torch_dtype=root.get("torch_dtype") or "float32",
        )

    def inverse_frequencies(self):
        """RoPE's inverse frequencies, computed in float64 (as the engine), scaled, used in float32."""
        frequencies = [1.0 / math.pow(self.rope_theta, 2.0 * i / self.head_dim) for i in range(self.head_dim // 2)]
        return self.rope_scaling.apply(frequencies) if self.rope_scaling else frequencies


def _rope_scaling(node, bad):
    if node is None:
        return None
    if not isinstance(node, dict):
        raise bad("rope_scaling", "expected an object or null")
    kind = node.get("rope_type", node.get("type", "default"))
    if kind == "default":
        return None
    if kind not in ("linear", "llama3"):
        raise bad("rope_scaling.rope_type", f"{kind!r} is not supported (supported: default, linear, llama3)")
    factor = node.get("factor")
    if not isinstance(factor, (int, float)) or factor <= 0:
        raise bad("rope_scaling.factor", f"expected a positive number, found {json.dumps(factor)}")
    if kind == "linear":
        return RopeScaling(kind, float(factor))
    for key in ("low_freq_factor", "high_freq_factor", "original_max_position_embeddings"):
        if key not in node:
            raise bad(f"rope_scaling.{key}", "missing")
    if node["high_freq_factor"] <= node["low_freq_factor"]:
        raise bad("rope_scaling.high_freq_factor", f"{node['high_freq_factor']} must exceed low_freq_factor ({node['low_freq_factor']})")
    return RopeScaling(kind, float(factor), float(node["low_freq_factor"]), float(node["high_freq_factor"]), int(node["original_max_position_embeddings"]))


def config_path(model_directory):
    return os.path.join(model_directory, "config.json")
