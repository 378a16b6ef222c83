#!/usr/bin/python3
"""Training throughput of the same models and losses as defer4j's TrainThroughput, in PyTorch.

Reads the training rows exported by org.defer4j.bench.experiments.HateSpeechEvidence (-export):
little-endian int32 n, d, K, J; n*d float64 features (row-major); n int32 labels; n*J float64
expert correctness e_j (1 when expert j's vote is the label).

Model: Linear(d, K+J), or Linear(d, 64) -> ReLU -> Linear(64, K+J). Scores s: classes at 0..K-1,
"defer to expert j" at K+j-1. Losses, written from their formulas (p = softmax(s)):
  ce:         -log p_y - sum_j e_j log p_perp_j                 (Mozannar & Sontag 2020; Verma et al. 2023)
  realizable: -log((e^{s_y} + sum_j e_j e^{s_perp_j}) / sum e^s) (Mozannar et al. 2023)
Adam (lr 1e-3, PyTorch defaults = Kingma & Ba's), batch 128, a fresh random permutation per
epoch, mean loss per batch, no validation during the fit. Each configuration runs as warm-up (at
least once and for at least two seconds, as defer4j's TrainThroughput),
then `reps` times; prints the median samples per second (rows * epochs / wall seconds) and, when
FILE.val exists (same format), the median system accuracy of the fitted models on those rows: the
argmax of the scores decides, a class is right when it is the label, a deferral when the expert was.

Usage: /usr/bin/python3 train_bench.py FILE [epochs=2] [reps=5] [threads=2]
"""
import os
import statistics
import sys
import time

import numpy as np
import torch


def read(path):
    with open(path, "rb") as f:
        n, d, k, j = np.frombuffer(f.read(16), dtype="<i4")
        x = np.frombuffer(f.read(8 * n * d), dtype="<f8").reshape(n, d)
        y = np.frombuffer(f.read(4 * n), dtype="<i4")
        e = np.frombuffer(f.read(8 * n * j), dtype="<f8").reshape(n, j)
    return int(n), int(d), int(k), int(j), x, y, e


def ce_loss(s, y, e, k):
    logp = torch.log_softmax(s, dim=1)
    class_term = -logp.gather(1, y.unsqueeze(1)).squeeze(1)
    return class_term - (e * logp[:, k:]).sum(dim=1)


def realizable_loss(s, y, e, k):
    logp = torch.log_softmax(s, dim=1)
    log_py = logp.gather(1, y.unsqueeze(1))
    # log(e_j p_perp_j): -inf where the expert is wrong, so it drops out of the log-sum-exp.
    log_perp = torch.where(e > 0, logp[:, k:] + torch.log(torch.clamp(e, min=1e-300)),
                           torch.full_like(e, float("-inf")))
    return -torch.logsumexp(torch.cat([log_py, log_perp], dim=1), dim=1)


LOSSES = {"ce": ce_loss, "realizable": realizable_loss}


def model(kind, d, out, dtype):
    if kind == "linear":
        m = torch.nn.Linear(d, out)
    else:
        m = torch.nn.Sequential(torch.nn.Linear(d, 64), torch.nn.ReLU(), torch.nn.Linear(64, out))
    return m.to(dtype)


def measure(kind, method, x, y, e, k, epochs, dtype):
    n, d = x.shape
    torch.manual_seed(1)
    m = model(kind, d, k + e.shape[1], dtype)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    loss_fn = LOSSES[method]
    g = torch.Generator().manual_seed(7)
    t0 = time.perf_counter()
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        for start in range(0, n, 128):
            idx = perm[start:start + 128]
            s = m(x[idx])
            loss = loss_fn(s, y[idx], e[idx], k).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    rate = n * epochs / (time.perf_counter() - t0)
    return rate, m


def accuracy(m, val, k):
    if val is None:
        return float("nan")
    x, y, e = val
    with torch.no_grad():
        best = m(x).argmax(dim=1)
    is_class = best < k
    right_class = is_class & (best == y)
    expert = torch.clamp(best - k, min=0)
    right_defer = (~is_class) & (e.gather(1, expert.unsqueeze(1)).squeeze(1) > 0)
    return float((right_class | right_defer).double().mean())


def main():
    path = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    torch.set_num_threads(threads)
    n, d, k, j, x_np, y_np, e_np = read(path)
    print(f"pytorch {torch.__version__} n={n} d={d} K={k} J={j} epochs={epochs} batch=128 "
          f"reps={reps} threads={torch.get_num_threads()}", flush=True)
    y = torch.from_numpy(y_np.astype(np.int64))
    val_np = read(path + ".val") if os.path.exists(path + ".val") else None
    for dtype, name in ((torch.float64, "float64"), (torch.float32, "float32")):
        x = torch.from_numpy(x_np.copy()).to(dtype)
        e = torch.from_numpy(e_np.copy()).to(dtype)
        val = None
        if val_np is not None:
            val = (torch.from_numpy(val_np[4].copy()).to(dtype),
                   torch.from_numpy(val_np[5].astype(np.int64)),
                   torch.from_numpy(val_np[6].copy()).to(dtype))
        for kind in ("linear", "mlp64"):
            for method in ("ce", "realizable"):
                # Warm-up as defer4j's: at least one fit and two seconds.
                warm_start = time.perf_counter()
                measure(kind, method, x, y, e, k, epochs, dtype)
                while time.perf_counter() - warm_start < 2:
                    measure(kind, method, x, y, e, k, epochs, dtype)
                r, acc = [], []
                for _ in range(reps):
                    rate, m = measure(kind, method, x, y, e, k, epochs, dtype)
                    r.append(rate)
                    acc.append(accuracy(m, val, k))
                print(f"RESULT pytorch {name} {kind} {method} "
                      f"median_samples_per_s={statistics.median(r):.0f} "
                      f"reps={[round(v) for v in r]} "
                      f"median_val_accuracy={statistics.median(acc):.4f}", flush=True)


if __name__ == "__main__":
    main()
