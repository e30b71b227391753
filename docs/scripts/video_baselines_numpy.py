#!/usr/bin/env python3
"""numpy transcriptions of the video baselines of `bilevel4j video`, to time their iterations against
`bilevel4j bench rpca --method rpca|pcp|nmf`. Written from the equations (docs/video.md, "The protocol"):

NMF, Lee-Seung multiplicative updates for the Frobenius loss (negative entries of M clipped to 0):
    H <- H .* (W^T M) ./ (W^T W H + eps),  W <- W .* (M H^T) ./ (W H H^T + eps),
    loss 1/2 ||M - WH||^2 from the products every iteration (<M, WH> = <W, M H^T>, ||WH||^2 = <W^T W, H H^T>).

Robust PCA, inexact ALM (Lin, Chen, Ma 2010), lambda = 1/sqrt(max(m, n)), mu0 = 1.25 / ||M||_2, rho = 1.5:
    S+ = soft(M - L + Y/mu, lambda/mu),  L+ = SVT(M - S+ + Y/mu, 1/mu),  Y+ = Y + mu (M - L+ - S+),
    residual ||M - L - S|| / ||M|| every iteration. The SVT is numpy's thin SVD (np.linalg.svd,
    full_matrices=False), then U diag(max(s - tau, 0)) V^T.

Stable PCP, accelerated proximal gradient with continuation (Lin et al. 2009, Zhou et al. 2010):
    mu0 = 0.99 ||M||_2, target mu = 1e-5 ||M||_2, eta = 0.9, t0 = 1;
    Y = X + (t_prev - 1)/t (X - X_prev) for X = (L, S);  G = (Y_L - Y_S + M) / 2
    L+ = SVT(G, mu/2),  S+ = soft(M - G, lambda mu/2),  objective and the subgradient residual every iteration,
    t+ = (1 + sqrt(1 + 4 t^2)) / 2,  mu+ = max(eta mu, target).

Data: --input CLIP.npy (uint8 frames x height x width, e.g. shared/data/lrslibrary_video/frames_y8/*.npy),
or a synthetic clip of the given shape (a smooth textured background and four moving discs, as bench rpca's
SyntheticClip, not the same bits); then the BINNO paper's corruption: L0 = rank-9 truncated SVD,
5% of the entries get S0 = 0.33 sign |L0|, M = L0 + S0.

Usage (from the repository root; needs numpy):
    python3 docs/scripts/video_baselines_numpy.py --method pcp --height 48 --width 48 --frames 51 --iters 40

Prints milliseconds per iteration: the median of --iters iterations, each timed on its own, after --warmup.
"""
import argparse
import math
import time

import numpy as np


def synthetic_clip(h, w, frames, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    bg = np.zeros((h, w))
    for _ in range(6):
        fy, fx, ph = rng.uniform(0.5, 3.0), rng.uniform(0.5, 3.0), rng.uniform(0, 2 * np.pi)
        bg += np.sin(2 * np.pi * (fy * yy / h + fx * xx / w) + ph)
    bg = 0.2 + 0.6 * (bg - bg.min()) / (np.ptp(bg) + 1e-12)
    clip = np.empty((h * w, frames))
    discs = [(rng.uniform(0, h), rng.uniform(0, w), rng.uniform(-1, 1), rng.uniform(-1, 1),
              rng.uniform(2, max(3, h / 8)), rng.uniform(0, 1)) for _ in range(4)]
    for f in range(frames):
        img = bg.copy()
        for (cy, cx, vy, vx, rad, val) in discs:
            py, px = (cy + vy * f) % h, (cx + vx * f) % w
            img[(yy - py) ** 2 + (xx - px) ** 2 <= rad * rad] = val
        clip[:, f] = img.ravel()
    return clip


def corrupt(clip, seed, rank=9, fraction=0.05, size=0.33):
    u, s, vt = np.linalg.svd(clip, full_matrices=False)
    l0 = (u[:, :rank] * s[:rank]) @ vt[:rank]
    rng = np.random.default_rng(seed + 1)
    count = int(round(fraction * l0.size))
    idx = rng.choice(l0.size, size=count, replace=False)
    m = l0.copy().ravel()
    m[idx] += size * rng.choice([-1.0, 1.0], size=count) * np.abs(l0.ravel()[idx])
    return m.reshape(l0.shape)


def soft(x, t):
    return np.sign(x) * np.maximum(np.abs(x) - t, 0.0)


def svt(x, tau):
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    d = np.maximum(s - tau, 0.0)
    k = int(np.count_nonzero(d))
    return (u[:, :k] * d[:k]) @ vt[:k], d.sum()


def nmf(m, rank, seed):
    m = np.maximum(m, 0.0)
    rng = np.random.default_rng(seed)
    w = rng.random((m.shape[0], rank))
    h = rng.random((rank, m.shape[1]))
    eps = 1e-16
    norm_m = float(np.vdot(m, m))

    def step():
        nonlocal w, h
        h *= (w.T @ m) / (w.T @ w @ h + eps)
        mht = m @ h.T
        hht = h @ h.T
        w *= mht / (w @ hht + eps)
        return 0.5 * max(norm_m - 2 * float(np.vdot(w, mht)) + float(np.vdot(w.T @ w, hht)), 0.0)
    return step


def rpca(m):
    rows, cols = m.shape
    lam = 1 / math.sqrt(max(rows, cols))
    norm2 = np.linalg.norm(m, 2)
    norm_m = np.linalg.norm(m)
    y = m / max(norm2, np.abs(m).max() / lam)
    st = {'mu': 1.25 / norm2, 'l': np.zeros_like(m), 's': np.zeros_like(m), 'y': y}
    mu_max = st['mu'] * 1e7

    def step():
        mu = st['mu']
        s = soft(m - st['l'] + st['y'] / mu, lam / mu)
        l, nuc = svt(m - s + st['y'] / mu, 1 / mu)
        z = m - l - s
        st['y'] = st['y'] + mu * z
        st['l'], st['s'] = l, s
        st['mu'] = min(mu * 1.5, mu_max)
        return np.linalg.norm(z) / norm_m, nuc + lam * np.abs(s).sum()
    return step


def pcp(m):
    rows, cols = m.shape
    lam = 1 / math.sqrt(max(rows, cols))
    norm2 = np.linalg.norm(m, 2)
    target = 1e-5 * norm2
    st = {'mu': max(0.99 * norm2, target), 't': 1.0, 'tp': 1.0,
          'l': np.zeros_like(m), 's': np.zeros_like(m), 'lp': np.zeros_like(m), 'sp': np.zeros_like(m)}

    def step():
        mu, t, tp = st['mu'], st['t'], st['tp']
        wgt = (tp - 1) / t
        yl = st['l'] + wgt * (st['l'] - st['lp'])
        ys = st['s'] + wgt * (st['s'] - st['sp'])
        g = 0.5 * (yl - ys + m)
        l, nuc = svt(g, mu / 2)
        s = soft(m - g, lam * mu / 2)
        d = (l + s) - (yl + ys)
        resid = math.sqrt(np.vdot(d - 2 * (l - yl), d - 2 * (l - yl)) + np.vdot(d - 2 * (s - ys), d - 2 * (s - ys)))
        resid /= 2 * max(1.0, math.sqrt(np.vdot(l, l) + np.vdot(s, s)))
        z = m - l - s
        obj = nuc + lam * np.abs(s).sum() + np.vdot(z, z) / (2 * target)
        st['lp'], st['sp'], st['l'], st['s'] = st['l'], st['s'], l, s
        st['tp'], st['t'] = t, (1 + math.sqrt(1 + 4 * t * t)) / 2
        st['mu'] = max(0.9 * mu, target)
        return resid, obj
    return step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--method', choices=['nmf', 'rpca', 'pcp'], required=True)
    ap.add_argument('--input', help='uint8 frames x height x width .npy')
    ap.add_argument('--height', type=int, default=48)
    ap.add_argument('--width', type=int, default=48)
    ap.add_argument('--frames', type=int, default=51)
    ap.add_argument('--iters', type=int, default=40)
    ap.add_argument('--warmup', type=int, default=10)
    ap.add_argument('--seed', type=int, default=7)
    args = ap.parse_args()
    if args.input:
        frames = np.load(args.input)
        clip = frames.reshape(frames.shape[0], -1).T.astype(np.float64) / 255.0
    else:
        clip = synthetic_clip(args.height, args.width, args.frames, args.seed)
    m = np.ascontiguousarray(corrupt(clip, args.seed))
    step = {'nmf': lambda: nmf(m, 9, args.seed), 'rpca': lambda: rpca(m), 'pcp': lambda: pcp(m)}[args.method]()
    times = []
    for k in range(args.warmup + args.iters):
        t0 = time.perf_counter()
        step()
        if k >= args.warmup:
            times.append(time.perf_counter() - t0)
    print(f"{args.method} numpy {m.shape[0]}x{m.shape[1]}: {float(np.median(times)) * 1e3:.4f} ms per iteration "
          f"(median of {len(times)} after {args.warmup})")


if __name__ == '__main__':
    main()
