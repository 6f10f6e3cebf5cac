#!/usr/bin/env python3
"""Independent PyTorch re-implementation of UltraGCN's official objective (xue-pai/UltraGCN, as documented in
shared/docs/reference/ultragcn.md §1), checked against Concord's Java model on the batch that
TorchCrossCheckExport wrote: β tables, the item-item ω table and its top-K sets (recomputed here from the raw train
graph with a dense G = AᵀA, fine at this size), the batch loss and its gradient (autograd, float64).
Usage: ultragcn_torch_check.py <export.json>   (prints a table, exits 1 on a mismatch)"""
import json
import sys

import torch
import torch.nn.functional as F

d = json.load(open(sys.argv[1]))
torch.set_default_dtype(torch.float64)
o = d["objective"]
nu, ni, dim = d["num_users"], d["num_items"], d["dim"]
K, R = o["ii_neighbor_num"], o["negative_num"]

A = torch.zeros(nu, ni)
A[torch.tensor(d["train_users"]), torch.tensor(d["train_items"])] = 1.0
du, di = A.sum(1), A.sum(0)
beta_uD = torch.sqrt(du + 1) / du                      # official load_data
beta_iD = 1.0 / torch.sqrt(di + 1)

G = A.t() @ A                                          # co-occurrence, diagonal kept
g = G.sum(1)
omega_full = G * (torch.sqrt(g + 1) / g).unsqueeze(1) * (1.0 / torch.sqrt(g + 1)).unsqueeze(0)
omega_full = torch.nan_to_num(omega_full)              # items without train interactions: rows never read
topk_val, topk_idx = torch.topk(omega_full, K, dim=1)

params = torch.tensor(d["params"], requires_grad=True)
U = params[: nu * dim].view(nu, dim)
I = params[nu * dim:].view(ni, dim)
users = torch.tensor(d["batch_users"])
pos = torch.tensor(d["batch_items"])
neg = torch.tensor(d["negatives"]).view(-1, R)

# cal_loss_L: weighted BCE with logits, negatives averaged over R and scaled by negative_weight, summed over the batch
pos_w = o["w1"] + o["w2"] * beta_uD[users] * beta_iD[pos]
neg_w = o["w3"] + o["w4"] * beta_uD[users].unsqueeze(1) * beta_iD[neg]
pos_scores = (U[users] * I[pos]).sum(-1)
neg_scores = (U[users].unsqueeze(1) * I[neg]).sum(-1)
pos_loss = F.binary_cross_entropy_with_logits(pos_scores, torch.ones_like(pos_scores), weight=pos_w, reduction="none")
neg_loss = F.binary_cross_entropy_with_logits(neg_scores, torch.zeros_like(neg_scores), weight=neg_w,
                                              reduction="none").mean(-1)
loss_L = (pos_loss + neg_loss * o["negative_weight"]).sum()

# cal_loss_I over the top-K ω neighbours of each positive item (Java's neighbour ids; checked against torch's below)
java_nb = torch.tensor(d["java_neighbours"]).view(ni, K)
java_om = torch.tensor(d["java_omega"]).view(ni, K)
nb_ids = java_nb[pos]
nb_w = omega_full[pos.unsqueeze(1), nb_ids]            # ω recomputed in torch at Java's chosen neighbours
nb_scores = (U[users].unsqueeze(1) * I[nb_ids]).sum(-1)
loss_I = -(nb_w * F.logsigmoid(nb_scores)).sum()

norm = 0.5 * (params ** 2).sum()                      # norm_loss over ALL parameters
loss = loss_L + o["gamma"] * norm + o["lambda"] * loss_I
loss.backward()

java_grad = torch.tensor(d["java_grad"])
rows = []
def check(name, ok, detail):
    rows.append((name, "ok" if ok else "MISMATCH", detail))

rel = lambda a, b: (a - b).abs().max().item() / max(b.abs().max().item(), 1e-300)
check("β user table", rel(torch.tensor(d["java_user_beta"]), beta_uD) < 1e-6,
      f"max rel err {rel(torch.tensor(d['java_user_beta']), beta_uD):.2e}")
check("β item table", rel(torch.tensor(d["java_item_beta"]), beta_iD) < 1e-6,
      f"max rel err {rel(torch.tensor(d['java_item_beta']), beta_iD):.2e}")
has_rows = di > 0
om_err = rel(java_om[has_rows], omega_full[has_rows.nonzero().squeeze(1).unsqueeze(1), java_nb[has_rows]])
check("ω at Java's neighbours", om_err < 1e-6, f"max rel err {om_err:.2e}")
kth = topk_val[:, K - 1]
valid = bool(((java_om[has_rows] >= kth[has_rows].unsqueeze(1) * (1 - 1e-6) - 1e-12).all()).item())
same_sets = sum(set(java_nb[i].tolist()) == set(topk_idx[i].tolist()) for i in range(ni) if has_rows[i])
check("Java neighbours are a valid top-K", valid,
      f"identical to torch.topk for {same_sets}/{int(has_rows.sum())} items (rest: ties)")
lerr = abs(d["java_loss"] - loss.item()) / abs(loss.item())
check("batch loss", lerr < 1e-5, f"java {d['java_loss']:.8g} torch {loss.item():.8g} rel err {lerr:.2e}")
gerr = rel(java_grad, params.grad)
check("gradient (all parameters)", gerr < 1e-4, f"max abs err / max |g| {gerr:.2e} over {params.numel()} values")

print(f"UltraGCN objective: Concord (Java, float32) vs PyTorch {torch.__version__} autograd (float64), "
      f"{len(users)} positives × {R} negatives, K={K}")
print(f"{'check':38s} {'result':9s} detail")
for name, status, detail in rows:
    print(f"{name:38s} {status:9s} {detail}")
sys.exit(0 if all(s == "ok" for _, s, _ in rows) else 1)
