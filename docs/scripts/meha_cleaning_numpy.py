#!/usr/bin/env python3
"""An independent numpy implementation of MEHA on data hyper-cleaning, to time against bilevel4j.

Written from the equations of the MEHA method page (paper form: 1/c_k on F, x before y, g = 0):

    theta+ = theta - eta [grad_y f(x, theta) + (theta - y) / gamma]
    x+     = x - alpha [grad_x f(x, y) - grad_x f(x, theta+)]                  (grad_x F = 0)
    y+     = y - beta [(1/c_k) grad_y F(y) + grad_y f(x+, y) - (y - theta+) / gamma]

with f(x, y) = mean_i sigmoid(x_i) CE(y; a_i, b_i) + ridge/2 ||W||^2 on the 5000 training samples,
F(y) = mean CE on the 5000 validation samples, c_k = c0 (k + 1)^p, and the hyper-cleaning settings
of the page (c0 = 0.2, p = 0.25, eta = 0.001, 1/gamma = 0.01, alpha = 1000, beta = 0.03,
ridge = 1e-3). The logits at theta+ are kept for the next theta step, so an iteration makes six
products: two training forward products (y, theta+), two training backward products (theta, y),
one validation forward and one validation backward product. bilevel4j fuses them into four.

Usage (from the repository root; needs numpy):
    python3 docs/scripts/meha_cleaning_numpy.py --dtype float32 --iters 300
    python3 docs/scripts/meha_cleaning_numpy.py --dtype float64 --iters 2500 --data ../shared/data

Prints milliseconds per iteration (median of blocks of 50, after 20 warm-up iterations) and, at the
end, test accuracy and the F1 of clean-sample detection (x_i >= 0 means clean).
"""
import argparse
import gzip
import os
import time

import numpy as np


def idx(path, images):
    raw = gzip.open(path).read() if path.endswith('.gz') else open(path, 'rb').read()
    if images:
        n, r, c = (int.from_bytes(raw[o:o + 4], 'big') for o in (4, 8, 12))
        return np.frombuffer(raw, np.uint8, offset=16).reshape(n, r * c)
    return np.frombuffer(raw, np.uint8, offset=8).astype(np.int64)


def design(pixels, dtype):
    return np.hstack([pixels / 255.0, np.ones((len(pixels), 1))]).astype(dtype)


def softmax_ce(z, labels):
    """Softmax probabilities (in place of z) and per-sample cross-entropies."""
    z -= z.max(axis=1, keepdims=True)
    ce = np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(z)), labels]
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z, ce


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.environ.get('BILEVEL4J_DATA', '../shared/data'))
    ap.add_argument('--dataset', default='fashion-mnist')
    ap.add_argument('--dtype', choices=['float32', 'float64'], default='float32')
    ap.add_argument('--iters', type=int, default=300)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()
    dt = np.dtype(args.dtype)
    folder = os.path.join(args.data, args.dataset)
    xs = idx(os.path.join(folder, 'train-images-idx3-ubyte.gz'), True)
    ys = idx(os.path.join(folder, 'train-labels-idx1-ubyte.gz'), False)
    xt = idx(os.path.join(folder, 't10k-images-idx3-ubyte.gz'), True)
    yt = idx(os.path.join(folder, 't10k-labels-idx1-ubyte.gz'), False)
    rng = np.random.default_rng(args.seed)
    perm = rng.permutation(len(xs))
    tr, va = perm[:5000], perm[5000:10000]
    A, Av, At = design(xs[tr], dt), design(xs[va], dt), design(xt, dt)
    b, bv = ys[tr].copy(), ys[va]
    noisy = rng.choice(5000, 2500, replace=False)
    b[noisy] = (b[noisy] + rng.integers(1, 10, 2500)) % 10
    clean = np.ones(5000, bool)
    clean[noisy] = False
    n, nv, d, k = 5000, 5000, A.shape[1], 10
    Bv = np.eye(k, dtype=dt)[bv]
    B = np.eye(k, dtype=dt)[b]
    c0, p, eta, inv_gamma, alpha, beta, ridge = 0.2, 0.25, 1e-3, 0.01, 1000.0, 0.03, 1e-3
    mask = np.ones((d, 1), dt)
    mask[-1] = 0  # no ridge on the bias row

    x = np.zeros(n, dt)
    y = np.zeros((d, k), dt)
    theta = y.copy()
    p_theta, ce_theta = softmax_ce(A @ theta, b)

    times = []
    t_block = time.perf_counter()
    for it in range(args.iters):
        ck = c0 * (it + 1) ** p
        w = 1 / (1 + np.exp(-x))
        # theta step at (x, theta): backward product at theta (its logits are kept from the last step)
        g_theta = A.T @ ((p_theta - B) * w[:, None]) / n + ridge * mask * theta
        theta_new = theta - eta * (g_theta + (theta - y) * inv_gamma)
        # x step: losses at y and theta+ (two forward products)
        p_y, ce_y = softmax_ce(A @ y, b)
        p_theta, ce_theta = softmax_ce(A @ theta_new, b)
        dw = w * (1 - w) / n
        x_new = x - alpha * (dw * ce_y - dw * ce_theta)
        # y step at (x+, y): validation forward and backward, training backward at y with the new weights
        w_new = 1 / (1 + np.exp(-x_new))
        pv, _ = softmax_ce(Av @ y, bv)
        g_upper = Av.T @ (pv - Bv) / nv
        g_lower = A.T @ ((p_y - B) * w_new[:, None]) / n + ridge * mask * y
        y = y - beta * (g_upper / ck + g_lower - (y - theta_new) * inv_gamma)
        x, theta = x_new, theta_new
        if it + 1 > 20 and (it + 1 - 20) % 50 == 0:
            now = time.perf_counter()
            times.append((now - t_block) / 50 * 1e3)
            t_block = now
        elif it + 1 == 20:
            t_block = time.perf_counter()
    acc = float(np.mean((At @ y).argmax(axis=1) == yt))
    flagged = x >= 0
    hits = np.sum(flagged & clean)
    f1 = 2 * hits / (flagged.sum() + clean.sum()) if flagged.sum() else 0.0
    ms = float(np.median(times)) if times else float('nan')
    print(f'numpy {np.__version__} {args.dtype}: {ms:.2f} ms per MEHA iteration (median of {len(times)} blocks of 50)'
          f' after {args.iters} iterations: test accuracy {acc:.4f}, F1 {f1:.4f}')


if __name__ == '__main__':
    main()
