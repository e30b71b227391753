#!/usr/bin/env python3
"""A numpy transcription of BINNO (midpoint weights) on sparse low-rank factorization, to time against
bilevel4j. Written from the method page (shared/methods/binno.md, "One iteration"):

    H(X, Y) = 1/2 ||XY - M||_F^2,  f1 = lambda1 ||X||_1, g1 = lambda2 ||Y||_1,
    f2 = gamma1 ||X||_*, g2 = gamma2 ||Y||_*;  Psi1 = f1 + g1 + H,  Psi2 = f2 + g2 + H.

    L_X = ||Y Y^T||_2;  nu_X = min(1 / (sqrt((L_X + Lf2)(L_X + Lf1)) - L_X), 1 / L_X)
    Z = X - nu_X grad_X H(X, Y);  Xu = soft(Z, nu_X lambda1);  Xl = svt(Z, nu_X gamma1)
    alpha window from nu_X, L_X;  L_u = ||Xu^T Xu||_2, L_l = ||Xl^T Xl||_2
    nu_Y = min(2 / (sqrt(A^2 + 4B) - A), 1 / max(L_u, L_l)),  A = L_u + L_l, B = Lg1 Lg2 + Lg2 L_u + Lg1 L_l
    Yu = soft(Y - nu_Y grad_Y H(Xu, Y), nu_Y lambda2);  Yl = svt(Y - nu_Y grad_Y H(Xl, Y), nu_Y gamma2)
    beta window;  X+ = alpha Xu + (1 - alpha) Xl,  Y+ = beta Yu + (1 - beta) Yl (midpoints of the windows)

with the Frobenius-norm Lipschitz constants Lf1 = lambda1 sqrt(m r), Lf2 = gamma1 sqrt(min(m, r)),
Lg1 = lambda2 sqrt(r n), Lg2 = gamma2 sqrt(min(r, n)) (bilevel4j's choice for the nuclear norm, see
Binno's Javadoc). Psi1 and Psi2 are computed at every iteration: the nuclear norms from the singular
values, H with --h residual (the default, the plain transcription: 1/2 ||XY - M||^2 from the m x n
residual at every size) or --h gram (bilevel4j's rule: the residual for matrices up to 2^20 entries,
the Gram identity ||M||^2 - 2 <X, M Y^T> + <X^T X, Y Y^T> above, so no m x n temporary at the large
sizes). Gradients use the Gram matrices: grad_X H = X (Y Y^T) - M Y^T, grad_Y H = (X^T X) Y - X^T M.

Data: either --input M (.npy or .csv, with optional --init-x / --init-y of the same formats, the
inputs of `bilevel4j factorize`), or a synthetic matrix of the shape of `bilevel4j bench binno`:
X_true (m x r) and Y_true (r x n) with 30% nonzero standard normal entries, M = X_true Y_true
+ 0.01 N(0, 1), start X0, Y0 uniform on [0, 1) (numpy's generator, so not the same bits as Java's:
the same distribution, shapes and sparsity).

Usage (from the repository root; needs numpy):
    python3 docs/scripts/binno_numpy.py --m 2304 --n 51 --r 9 --iters 200
    python3 docs/scripts/binno_numpy.py --input M.npy --init-x X0.npy --init-y Y0.npy --r 9 --iters 1000 --trace

Prints the median milliseconds per iteration (each iteration timed on its own, after --warmup
iterations), the last Psi1 and Psi2, and with --trace every iteration's Psi1 and Psi2.
"""
import argparse
import math
import time

import numpy as np


def load(path):
    if path.endswith('.npy'):
        return np.load(path).astype(np.float64)
    return np.loadtxt(path, delimiter=',', dtype=np.float64, ndmin=2)


def soft(z, t):
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def svt(z, t):
    u, s, vt = np.linalg.svd(z, full_matrices=False)
    d = np.maximum(s - t, 0.0)
    return (u * d) @ vt


def nuclear(a):
    return np.linalg.svd(a, compute_uv=False).sum()


def spec_psd(g):
    return np.linalg.eigvalsh(g)[-1]


class Binno:
    def __init__(self, m, r, lam1, lam2, gam1, gam2, gram_above=None):
        self.M = m
        self.r = r
        rows, cols = m.shape
        self.lam1, self.lam2, self.gam1, self.gam2 = lam1, lam2, gam1, gam2
        self.lf1 = lam1 * math.sqrt(rows * r)
        self.lf2 = gam1 * math.sqrt(min(rows, r))
        self.lg1 = lam2 * math.sqrt(r * cols)
        self.lg2 = gam2 * math.sqrt(min(r, cols))
        self.exact = gram_above is None or rows * cols <= gram_above
        self.norm_m = float(np.vdot(m, m))

    def h(self, x, y, p, gy):
        if self.exact:
            res = x @ y - self.M
            return 0.5 * float(np.vdot(res, res))
        return 0.5 * max(self.norm_m - 2 * float(np.vdot(x, p)) + float(np.vdot(x.T @ x, gy)), 0.0)

    def psi(self, x, y, p, gy):
        hv = self.h(x, y, p, gy)
        psi1 = self.lam1 * np.abs(x).sum() + self.lam2 * np.abs(y).sum() + hv
        psi2 = self.gam1 * nuclear(x) + self.gam2 * nuclear(y) + hv
        return psi1, psi2

    def step(self, x, y, p, gy):
        """One iteration from (X, Y) with P = M Y^T and G_Y = Y Y^T; returns X+, Y+, P+, G_Y+, Psi1, Psi2."""
        m = self.M
        lx = max(spec_psd(gy), 1e-300)
        nu_x = 1 / lx
        den = math.sqrt((lx + self.lf2) * (lx + self.lf1)) - lx
        if den > 0:
            nu_x = min(1 / den, nu_x)
        z = x - nu_x * (x @ gy - p)
        xu = soft(z, nu_x * self.lam1)
        xl = svt(z, nu_x * self.gam1)
        a_min = (1 / nu_x + lx) / (self.lf1 + 1 / nu_x + 2 * lx)
        a_max = (self.lf2 + lx) / (self.lf2 + 1 / nu_x + 2 * lx)
        gu = xu.T @ xu
        gl = xl.T @ xl
        lu = spec_psd(gu)
        ll = spec_psd(gl)
        aa = lu + ll
        bb = self.lg1 * self.lg2 + self.lg2 * lu + self.lg1 * ll
        nu_y = 1 / max(lu, ll, 1e-300)
        if bb > 0:
            nu_y = min((math.sqrt(aa * aa + 4 * bb) + aa) / (2 * bb), nu_y)
        q = np.hstack([xu, xl]).T @ m  # [Xu Xl]^T M, one pass over M
        r = self.r
        yu = soft(y - nu_y * (gu @ y - q[:r]), nu_y * self.lam2)
        yl = svt(y - nu_y * (gl @ y - q[r:]), nu_y * self.gam2)
        b_min = (1 / nu_y + lu) / (self.lg1 + 1 / nu_y + 2 * lu)
        b_max = (self.lg2 + ll) / (self.lg2 + 1 / nu_y + 2 * ll)
        alpha = min(max(0.5 * (a_min + a_max), 0.0), 1.0)
        beta = min(max(0.5 * (b_min + b_max), 0.0), 1.0)
        xn = alpha * xu + (1 - alpha) * xl
        yn = beta * yu + (1 - beta) * yl
        pn = m @ yn.T  # M Y+^T: the value and the next X gradient
        gyn = yn @ yn.T
        psi1, psi2 = self.psi(xn, yn, pn, gyn)
        return xn, yn, pn, gyn, psi1, psi2


def synthetic(m, n, r, seed):
    rng = np.random.default_rng(seed)
    xt = np.where(rng.random((m, r)) < 0.3, rng.standard_normal((m, r)), 0.0)
    yt = np.where(rng.random((r, n)) < 0.3, rng.standard_normal((r, n)), 0.0)
    mat = xt @ yt + 0.01 * rng.standard_normal((m, n))
    return mat, rng.random((m, r)), rng.random((r, n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--m', type=int, default=2304)
    ap.add_argument('--n', type=int, default=51)
    ap.add_argument('--r', type=int, default=9)
    ap.add_argument('--input')
    ap.add_argument('--init-x')
    ap.add_argument('--init-y')
    ap.add_argument('--lambda1', type=float, default=0.05)
    ap.add_argument('--lambda2', type=float, default=0.05)
    ap.add_argument('--gamma1', type=float, default=0.01)
    ap.add_argument('--gamma2', type=float, default=0.01)
    ap.add_argument('--iters', type=int, default=200)
    ap.add_argument('--warmup', type=int, default=10)
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--trace', action='store_true')
    ap.add_argument('--h', choices=['residual', 'gram'], default='residual')
    args = ap.parse_args()
    if args.input:
        mat = load(args.input)
        rng = np.random.default_rng(args.seed)
        x = load(args.init_x) if args.init_x else rng.random((mat.shape[0], args.r))
        y = load(args.init_y) if args.init_y else rng.random((args.r, mat.shape[1]))
    else:
        mat, x, y = synthetic(args.m, args.n, args.r, args.seed)
    mat = np.ascontiguousarray(mat)
    b = Binno(mat, args.r, args.lambda1, args.lambda2, args.gamma1, args.gamma2,
              None if args.h == 'residual' else (1 << 20))
    p = mat @ y.T
    gy = y @ y.T
    psi1, psi2 = b.psi(x, y, p, gy)
    if args.trace:
        print(f"0 {psi1:.17g} {psi2:.17g}")
    times = []
    for k in range(args.warmup + args.iters):
        t0 = time.perf_counter()
        x, y, p, gy, psi1, psi2 = b.step(x, y, p, gy)
        t = time.perf_counter() - t0
        if k >= args.warmup:
            times.append(t)
        if args.trace:
            print(f"{k + 1} {psi1:.17g} {psi2:.17g}")
    med = float(np.median(times)) * 1e3
    print(f"BINNO numpy ({args.h}) {mat.shape[0]}x{mat.shape[1]} r={args.r}: {med:.4f} ms per iteration "
          f"(median of {len(times)}), Psi1 {psi1:.10g}, Psi2 {psi2:.10g}")


if __name__ == '__main__':
    main()
