"""The model a run trains: the base loaded from its Hugging Face folder in the compute dtype, with LoRA adapters
(float32, from the engine's step-0 adapter) for method lora, or every weight trained in float32 for method full."""
import json
import os
import shutil

import torch

from . import lora, safetensors_file
from .config import ModelConfig, config_path
from .model import CausalLM, load_weights

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json")
CHAT_TEMPLATE_FILE = "chat_template.jinja"


def build(inputs, compute_dtype, device):
    """(model, {checkpoint name: trained parameter}) on ``device``; names as the engine saves them."""
    s = inputs.settings
    base = inputs.path(s["base_model"])
    config = ModelConfig.load(config_path(base))
    full = s["method"] == "full"
    model = CausalLM(config, torch.float32 if full else compute_dtype, compute_dtype, s["gradient_checkpointing"])
    load_weights(model, base)
    if full:
        trained = dict(model.named_parameters())
        for parameter in trained.values():
            parameter.requires_grad_(True)
    else:
        trained = lora.inject(model, s["lora"], s["seed"])
        lora.load(trained, inputs.path(s["initial_adapter"]))
    model.to(device)
    model.train()
    return model, dict(model.named_parameters()) if full else lora.adapter_parameters(model)


def decays(name):
    """transformers decays every weight but biases and normalization weights."""
    return not (name.endswith(".bias") or name.endswith("norm.weight"))


def write(folder, tensors, inputs, dtype=torch.float32):
    """The trained weights into an existing folder: PEFT adapter files, or a Hugging Face model (config + weights + tokenizer)."""
    s = inputs.settings
    if s["method"] != "full":
        lora.write_files(tensors, inputs.path(s["initial_adapter"]), folder)
        return
    safetensors_file.write(os.path.join(folder, "model.safetensors"), {k: v.to(dtype) for k, v in tensors.items()})
    with open(config_path(inputs.path(s["base_model"])), encoding="utf-8") as f:
        config = json.load(f)
    config["torch_dtype"] = str(dtype).replace("torch.", "")
    with open(config_path(folder), "w", encoding="utf-8") as f:
        f.write(json.dumps(config, indent=2) + "\n")


def save_final(directory, tensors, inputs):
    """adapter/ or model/ in the output, whole or not at all."""
    s = inputs.settings
    target = os.path.abspath(directory).rstrip(os.sep)
    staging = f"{target}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    write(staging, tensors, inputs, getattr(torch, s["full_model_dtype"]))
    if s["method"] == "full":
        # The base folder holds the tokenizer (a preset's was copied in beside its weights).
        for name in TOKENIZER_FILES:
            source = os.path.join(inputs.path(s["base_model"]), name)
            if os.path.exists(source):
                shutil.copyfile(source, os.path.join(staging, name))
    store_chat_template(staging, inputs.path(s["chat_template"]))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)


def store_chat_template(folder, template_file):
    """The template trained with, as ChatTemplateText.WriteBesideWeights stores it: chat_template.jinja, and
    tokenizer_config.json's chat_template where the folder has tokenizer files."""
    shutil.copyfile(template_file, os.path.join(folder, CHAT_TEMPLATE_FILE))
    config = os.path.join(folder, "tokenizer_config.json")
    if not os.path.exists(config):
        return
    with open(config, encoding="utf-8") as f:
        tokenizer_config = json.load(f)
    with open(template_file, encoding="utf-8", newline="") as f:
        tokenizer_config["chat_template"] = f.read()
    with open(config, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(tokenizer_config, indent=2, ensure_ascii=False) + "\n")


def read(folder, inputs):
    """The trained weights a checkpoint folder holds, by checkpoint name."""
    name = lora.WEIGHTS_FILE if inputs.settings["method"] != "full" else "model.safetensors"
    tensors, _ = safetensors_file.read(os.path.join(folder, name))
    return {k.replace(".default.weight", ".weight"): v for k, v in tensors.items()}
