#!/usr/bin/env python3
"""The seed's MNIST race in plain numpy (OpenBLAS): the CPU baseline issue 9 measures against.

An independent implementation, written from the seed's README (../shared/seed/README.md), not from
our engine: six networks 784-100-100-100-100-10 (ReLU, He init, softmax cross-entropy with
log(y + 1e-7)), one per optimizer at the seed's defaults, trained in lockstep on the same minibatch
of 128 images drawn with replacement, the loss measured on that batch after the update. The data is
the embedded subset (public/data/embedded/, IDX gz). Prints one JSON line:
{"contender": "numpy", "msPerIteration": ..., "iterations": ..., "threads": ..., "losses": [...]}.

Usage: python3 bench/numpy_race.py [--iterations N] [--warmup N] [--sizes 784-100-10] [--batch N] [--data DIR]
Timing noise: numpy's BLAS may use every core (OPENBLAS_NUM_THREADS limits it).
"""
import argparse
import gzip
import json
import os
import time

import numpy as np

EPS = 1e-7


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class Optimizer:
    """One of the seed's six update rules, on a list of parameter arrays (in place)."""

    def __init__(self, kind, params):
        self.kind = kind
        self.t = 0
        self.v = [np.zeros_like(p) for p in params]
        self.h = [np.zeros_like(p) for p in params]

    def update(self, params, grads):
        k = self.kind
        self.t += 1
        for p, g, v, h in zip(params, grads, self.v, self.h):
            if k == "sgd":
                p -= 0.01 * g
            elif k == "momentum":
                v *= 0.9
                v -= 0.01 * g
                p += v
            elif k == "nesterov":
                p += 0.81 * v
                p -= 1.9 * 0.01 * g
                v *= 0.9
                v -= 0.01 * g
            elif k == "adagrad":
                h += g * g
                p -= 0.01 * g / (np.sqrt(h) + EPS)
            elif k == "rmsprop":
                h *= 0.99
                h += 0.01 * g * g
                p -= 0.01 * g / (np.sqrt(h) + EPS)
            elif k == "adam":
                lr_t = 0.001 * np.sqrt(1 - 0.999**self.t) / (1 - 0.9**self.t)
                v += 0.1 * (g - v)  # first moment m
                h += 0.001 * (g * g - h)  # second moment v
                p -= lr_t * v / (np.sqrt(h) + EPS)


def init_params(rng, sizes):
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append((rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(np.float32))
        params.append(np.zeros(fan_out, dtype=np.float32))
    return params


def step(params, x, t):
    """Forward, backward; returns the gradients."""
    acts = [x]
    for i in range(0, len(params), 2):
        z = acts[-1] @ params[i] + params[i + 1]
        acts.append(np.maximum(z, 0) if i + 2 < len(params) else z)
    logits = acts[-1]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    d = y.copy()
    d[np.arange(len(t)), t] -= 1
    d /= len(t)
    grads = [None] * len(params)
    for i in range(len(params) - 2, -1, -2):
        a = acts[i // 2]
        grads[i] = a.T @ d
        grads[i + 1] = d.sum(axis=0)
        if i > 0:
            d = (d @ params[i].T) * (a > 0)
    return grads


def loss(params, x, t):
    a = x
    for i in range(0, len(params), 2):
        z = a @ params[i] + params[i + 1]
        a = np.maximum(z, 0) if i + 2 < len(params) else z
    e = np.exp(a - a.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    return float(-np.log(y[np.arange(len(t)), t] + EPS).mean())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--sizes", default="784-100-100-100-100-10")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--data", default=os.path.join(here, "..", "public", "data", "embedded"))
    args = ap.parse_args()
    images = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255
    labels = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    sizes = [int(n) for n in args.sizes.split("-")]
    rng = np.random.default_rng(1)
    kinds = ["sgd", "momentum", "adagrad", "adam", "rmsprop", "nesterov"]
    racers = []
    for kind in kinds:
        params = init_params(rng, sizes)
        racers.append((params, Optimizer(kind, params)))
    losses = []

    def iteration():
        idx = rng.integers(0, len(images), args.batch)
        x, t = images[idx], labels[idx]
        row = []
        for params, opt in racers:
            opt.update(params, step(params, x, t))
            row.append(loss(params, x, t))
        losses.append(row)

    for _ in range(args.warmup):
        iteration()
    start = time.perf_counter()
    for _ in range(args.iterations):
        iteration()
    ms = (time.perf_counter() - start) * 1000 / args.iterations
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or str(os.cpu_count())
    print(json.dumps({"contender": "numpy", "msPerIteration": ms, "iterations": args.iterations, "threads": threads, "losses": losses[-1]}))


if __name__ == "__main__":
    main()
