"""LoRA with PEFT's names and math: y = base(x) + B(A(dropout(x))) · scaling, A [r, in] kaiming-uniform(a=√5)
(U(−1/√in, 1/√in)), B [out, r] zeros, scaling alpha/r (alpha/√r with rsLoRA). A and B stay float32 and are cast to
the activations' dtype in forward. Saved as adapter_model.safetensors under
``base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight`` with the engine's adapter_config.json."""
import math
import os
import shutil

import torch
import torch.nn.functional as F
from torch import nn

from . import safetensors_file
from .errors import WorkerError
from .model import Attention, Mlp, Projection

KEY_PREFIX = "base_model.model."
WEIGHTS_FILE = "adapter_model.safetensors"
CONFIG_FILE = "adapter_config.json"


class LoraLinear(nn.Module):
    def __init__(self, base, rank, scaling, dropout):
        super().__init__()
        self.base_layer = base
        self.scaling, self.dropout = scaling, dropout
        self.lora_A = Projection(base.in_features, rank, False, torch.float32)
        self.lora_B = Projection(rank, base.out_features, False, torch.float32)
        for parameter in base.parameters():
            parameter.requires_grad_(False)

    def reset_parameters(self, generator):
        with torch.no_grad():
            bound = 1.0 / math.sqrt(self.base_layer.in_features)
            self.lora_A.weight.uniform_(-bound, bound, generator=generator)
            self.lora_B.weight.zero_()

    def forward(self, x):
        result = self.base_layer(x)
        h = F.dropout(x, self.dropout, training=True) if self.training and self.dropout > 0 else x
        return result + self.lora_B(self.lora_A(h)) * self.scaling


def inject(model, settings, seed):
    """Wraps the target projections of every layer (module order) and freezes the rest; returns {PEFT key: parameter}."""
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    generator = torch.Generator().manual_seed(seed)
    targets = set(settings["target_modules"])
    for i, layer in enumerate(model.model.layers):
        for parent, names in ((layer.self_attn, Attention.PROJECTIONS), (layer.mlp, Mlp.PROJECTIONS)):
            for name in names:
                if name in targets:
                    wrapped = LoraLinear(getattr(parent, name), settings["r"], settings["scaling"], settings["lora_dropout"])
                    wrapped.reset_parameters(generator)
                    setattr(parent, name, wrapped)
    return adapter_parameters(model)


def adapter_parameters(model):
    """The adapter weights under PEFT's saved names, sorted as the engine orders them."""
    found = {}
    for name, module in model.named_modules():
        if isinstance(module, LoraLinear):
            found[f"{KEY_PREFIX}{name}.lora_A.weight"] = module.lora_A.weight
            found[f"{KEY_PREFIX}{name}.lora_B.weight"] = module.lora_B.weight
    return dict(sorted(found.items()))


def load(parameters, directory):
    """Copies an adapter folder's weights into ``parameters`` (PEFT key -> parameter), names and shapes checked both ways."""
    path = os.path.join(directory, WEIGHTS_FILE)
    tensors, _ = safetensors_file.read(path)
    tensors = {k.replace(".default.weight", ".weight"): v for k, v in tensors.items()}
    missing = sorted(set(parameters) - set(tensors))
    unexpected = sorted(set(tensors) - set(parameters))
    mismatched = [n for n in parameters if n in tensors and tensors[n].shape != parameters[n].shape]
    if missing or unexpected or mismatched:
        raise WorkerError(f"{path}: the adapter does not fit the model (missing {missing[:3]}, unexpected {unexpected[:3]}, shape mismatches {mismatched[:3]})",
                          "The adapter was made for another base model or other target_modules/r.", "checkpoint")
    with torch.no_grad():
        for name, parameter in parameters.items():
            parameter.copy_(tensors[name])


def save(tensors, config_source, directory):
    """Writes adapter_model.safetensors (float32) and the engine's adapter_config.json into ``directory``, whole or not at all."""
    target = os.path.abspath(directory).rstrip(os.sep)
    staging = f"{target}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    write_files(tensors, config_source, staging)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)


def write_files(tensors, config_source, directory):
    safetensors_file.write(os.path.join(directory, WEIGHTS_FILE), {k: v.detach().float() for k, v in tensors.items()})
    # The engine wrote this config for the step-0 adapter; the trained adapter has the same one, byte for byte.
    shutil.copyfile(os.path.join(config_source, CONFIG_FILE), os.path.join(directory, CONFIG_FILE))
