#!/usr/bin/env python3
"""Independent PyTorch implementations of the preference-pair losses as TRL's DPOTrainer.dpo_loss, SimPO's trainer and
the RPO repository write them (shared/docs/reference/preference-and-moe.md §C), checked against Concord's values and
gradients with respect to the policy's summed completion log-probabilities (PairLossExport).
Usage: pair_losses_torch_check.py <export.json>"""
import json
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
d = json.load(open(sys.argv[1]))
n_w, n_l = torch.tensor(d["len_chosen"], dtype=torch.float64), torch.tensor(d["len_rejected"], dtype=torch.float64)
ref_w, ref_l = torch.tensor(d["ref_chosen"]), torch.tensor(d["ref_rejected"])


def trl(name, p, lw, ll):
    beta = p.get("beta")
    eps = p.get("label_smoothing", 0.0)
    logits = (lw - ll) - (ref_w - ref_l)                              # TRL: pi_logratios - ref_logratios
    if name == "dpo":
        return -F.logsigmoid(beta * logits) * (1 - eps) - F.logsigmoid(-beta * logits) * eps
    if name == "robust":
        return (-F.logsigmoid(beta * logits) * (1 - eps) + F.logsigmoid(-beta * logits) * eps) / (1 - 2 * eps)
    if name == "hinge":
        return torch.relu(1 - beta * logits)
    if name == "ipo":                                                 # IPO on token-averaged log-ratios
        avg = (lw / n_w - ll / n_l) - (ref_w / n_w - ref_l / n_l)
        return (avg - 1 / (2 * beta)) ** 2
    if name == "sigmoid_norm":
        avg = (lw / n_w - ll / n_l) - (ref_w / n_w - ref_l / n_l)
        return -F.logsigmoid(beta * avg)
    if name == "rpo_handbook":                                        # −log σ(βz) − η·β·lp(y_w)
        return -F.logsigmoid(beta * logits) - p["eta"] * beta * lw
    if name == "rpo_openrlhf":                                        # −log σ(βz) + η·NLL(y_w)/|y_w|
        return -F.logsigmoid(beta * logits) + p["eta"] * (-lw / n_w)
    if name == "simpo":                                               # reference-free, length-normalised, margin γ
        u = (lw / n_w - ll / n_l) - p["gamma_beta_ratio"]
        return (-F.logsigmoid(beta * u) * (1 - eps) - F.logsigmoid(-beta * u) * eps
                + p["sft_weight"] * (-lw / n_w))
    raise ValueError(name)


ok = True
print(f"Preference-pair losses: Concord (Java, float64) vs PyTorch {torch.__version__} autograd, "
      f"{len(d['lp_chosen'])} pairs")
print(f"{'loss':14s} {'value rel err':>14s} {'grad max abs err':>17s}  result")
for name, e in d["losses"].items():
    lw = torch.tensor(d["lp_chosen"], requires_grad=True)
    ll = torch.tensor(d["lp_rejected"], requires_grad=True)
    per_pair = trl(name, e["params"], lw, ll)
    total = per_pair.sum()
    total.backward()
    torch_grad = torch.stack([lw.grad, ll.grad], dim=1).reshape(-1)   # Java order: chosen, rejected per pair
    java_grad = torch.tensor(e["grad"])
    verr = abs(e["sum"] - total.item()) / max(abs(total.item()), 1e-12)
    gerr = (java_grad - torch_grad).abs().max().item()
    good = verr < 1e-10 and gerr < 1e-10 and e["weight"] == len(d["lp_chosen"])
    ok &= good
    print(f"{name:14s} {verr:14.2e} {gerr:17.2e}  {'ok' if good else 'MISMATCH'}")
sys.exit(0 if ok else 1)
