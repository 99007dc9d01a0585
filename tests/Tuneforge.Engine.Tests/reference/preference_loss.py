"""Preference losses and their gradients, written from TRL's definitions in plain torch (float64), on the
reference_forward.py model with the LoRA math of peft_lora_forward.py; the reference model is the base (no adapter).

Sequence log-probabilities: sum over the answer tokens of log softmax(logits)[next token]; ipo, orpo and simpo
divide by the answer's token count. Each sequence runs alone (no padding, no batching), so nothing here shares
the engine's batching.

    dpo:   h = (pc - pr) - (rc - rr);  sigmoid -logsig(b h)(1-e) - logsig(-b h) e;  ipo (h - 1/(2b))^2;  hinge relu(1 - b h)
    orpo:  nll(chosen tokens, pooled mean) - b * mean logsig((c - r) - (log1p(-e^c) - log1p(-e^r)))
    simpo: -logsig(b ((c - r) - g/b)) (label smoothing as dpo)
    kto:   z = clamp(mean(p(y_{i-1}|x_i) - ref(y_{i-1}|x_i)), 0) without gradient;
           desirable w_d (1 - sig(b (ratio - z))), undesirable w_u (1 - sig(b (z - ratio))), mean

    python3 preference_loss.py MODEL_DIR ADAPTER_DIR REQUEST.json OUT.json
Request: {"method", "beta", "loss_type", "label_smoothing", "simpo_gamma", "desirable_weight", "undesirable_weight",
          "examples": [{"prompt": [ids], "chosen": [ids], "rejected": [ids]} or {"prompt", "completion", "label"}]}
Writes {"loss", "chosen_rewards", "rejected_rewards", "grads": {PEFT tensor name: flat list}}.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

import peft_lora_forward as peft
import reference_forward as ref


def main():
    model_dir, adapter_dir, request_path, out_path = sys.argv[1:5]
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    with open(request_path) as f:
        request = json.load(f)
    weights = ref.read_weights(model_dir)
    lora_a, lora_b, r, scaling = peft.read_adapter(adapter_dir)
    params = {}
    for module in lora_a:
        lora_a[module] = lora_a[module].clone().requires_grad_(True)
        lora_b[module] = lora_b[module].clone().requires_grad_(True)
        params[peft.PREFIX + module + ".lora_A.weight"] = lora_a[module]
        params[peft.PREFIX + module + ".lora_B.weight"] = lora_b[module]

    base_linear = ref.linear
    adapter_on = [True]

    def linear_with_lora(x, w, name_prefix, weights):
        y = base_linear(x, w, name_prefix, weights)
        if not adapter_on[0] or name_prefix not in lora_a:
            return y
        return y + (x @ lora_a[name_prefix].T @ lora_b[name_prefix].T) * scaling

    ref.linear = linear_with_lora

    def logps(prompt, answer, policy):
        """(sum, count) of log p over the answer tokens of prompt + answer."""
        ids = torch.tensor([prompt + answer], dtype=torch.int64)
        adapter_on[0] = policy
        logits = ref.forward(config, weights, ids, torch.ones_like(ids))[0]           # (T, V)
        token = torch.log_softmax(logits[:-1], -1).gather(1, ids[0, 1:].unsqueeze(1)).squeeze(1)
        answer_part = token[len(prompt) - 1:]
        return answer_part.sum(), len(answer)

    def policy(prompt, answer):
        return logps(prompt, answer, True)

    def reference(prompt, answer):
        with torch.no_grad():
            return logps(prompt, answer, False)

    m = request["method"]
    b = request["beta"]
    eps = request["label_smoothing"]
    examples = request["examples"]

    def smoothed(x):
        return -F.logsigmoid(x) * (1 - eps) - F.logsigmoid(-x) * eps

    if m == "kto":
        n = len(examples)
        pol = [policy(e["prompt"], e["completion"]) for e in examples]
        rf = [reference(e["prompt"], e["completion"]) for e in examples]
        with torch.no_grad():
            kl = [policy(examples[i]["prompt"], examples[i - 1]["completion"])[0] - reference(examples[i]["prompt"], examples[i - 1]["completion"])[0]
                  for i in range(n)]
            z = torch.stack(kl).mean().clamp(min=0)
        losses, chosen_rewards, rejected_rewards = [], [], []
        for e, (p, _), (q, _) in zip(examples, pol, rf):
            ratio = p - q
            if e["label"]:
                losses.append(request["desirable_weight"] * (1 - torch.sigmoid(b * (ratio - z))))
                chosen_rewards.append(b * ratio.item())
            else:
                losses.append(request["undesirable_weight"] * (1 - torch.sigmoid(b * (z - ratio))))
                rejected_rewards.append(b * ratio.item())
        loss = torch.stack(losses).mean()
    else:
        average = m in ("orpo", "simpo") or request["loss_type"] == "ipo"
        losses, chosen_rewards, rejected_rewards = [], [], []
        nll_sum, nll_count = 0, 0
        for e in examples:
            (pc, nc), (pr, nr) = policy(e["prompt"], e["chosen"]), policy(e["prompt"], e["rejected"])
            nll_sum, nll_count = nll_sum - pc, nll_count + nc
            c, rj = (pc / nc, pr / nr) if average else (pc, pr)
            if m == "dpo":
                (rc, _), (rr, _) = reference(e["prompt"], e["chosen"]), reference(e["prompt"], e["rejected"])
                if average:
                    rc, rr = rc / nc, rr / nr
                h = (c - rj) - (rc - rr)
                t = request["loss_type"]
                losses.append(smoothed(b * h) if t == "sigmoid" else (h - 1 / (2 * b)) ** 2 if t == "ipo" else torch.relu(1 - b * h))
                chosen_rewards.append(b * (c - rc).item())
                rejected_rewards.append(b * (rj - rr).item())
            elif m == "orpo":
                log_odds = (c - rj) - (torch.log1p(-torch.exp(c)) - torch.log1p(-torch.exp(rj)))
                losses.append(F.logsigmoid(log_odds))
                chosen_rewards.append(b * c.item())
                rejected_rewards.append(b * rj.item())
            else:
                losses.append(smoothed(b * ((c - rj) - request["simpo_gamma"] / b)))
                chosen_rewards.append(b * c.item())
                rejected_rewards.append(b * rj.item())
        loss = torch.stack(losses).mean()
        if m == "orpo":
            loss = nll_sum / nll_count - b * loss

    loss.backward()
    with open(out_path, "w") as f:
        json.dump({
            "loss": loss.item(),
            "chosen_rewards": chosen_rewards,
            "rejected_rewards": rejected_rewards,
            "grads": {name: p.grad.flatten().tolist() for name, p in params.items()},
        }, f)


if __name__ == "__main__":
    main()
