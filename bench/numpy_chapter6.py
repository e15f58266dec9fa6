#!/usr/bin/env python3
"""The book's chapter-6 experiments in plain float64 numpy, on ONE core: the baseline issue 20 times
our engine against (bench/chapter6.ts).

An independent implementation written from ../shared/docs/CHAPTER6.md (the book's semantics), not
from our engine:
  batchnorm  batch_norm_test.py: first 1,000 training images, hidden 100x5, for each of the 16
             weight scales logspace(0, -4, 16) a network with batch norm and one without trained on
             the same batches; training accuracy once per epoch, 20 epochs (the loop stops at the
             20th record: 191 iterations).
  overfit    overfit_weight_decay.py: first 300 training images, hidden 100x6, He init, 201 epochs
             (the loop stops at the 201st record: 601 iterations), lambda = 0 and lambda = 0.1;
             training and test accuracy once per epoch.
  dropout    overfit_dropout.py through the book's Trainer: the same 300 images, hidden 100x6, He
             init, 301 epochs (max_iter = 903 iterations, the loss recorded each iteration in
             evaluation mode, a final test accuracy), dropout 0.2 and none.
  hypersearch  hyperparameter_optimization.py: the first 500 training images shuffled, the first 100
             held out for validation (the book's shuffle_dataset and int(500 * 0.2)), hidden 100x6, He
             init; 100 trials, each with weight decay 10^U(-8, -4) then lr 10^U(-6, -2) drawn from the
             seeded generator, through the book's Trainer (SGD, batch 100, 50 epochs = 200
             iterations, training and validation accuracy once per epoch); the test set is not used.
The network is MultiLayerNetExtend: Affine -> [BatchNorm: eps 1e-6, biased variance, running
statistics from 0 with momentum 0.9] -> ReLU -> [non-inverted Dropout], the last Affine, softmax
with -sum(log(y + 1e-7)) / N; L2 adds 0.5 * lambda * sum |W|^2 over every weight matrix (lambda * W
to each dW). SGD lr 0.01, batch 100 drawn with replacement; accuracy on the whole (limited) training
set and the whole test set in evaluation mode after iterations 0, ipe, 2 ipe, ... (0-based, after
the update). Each network is trained on its own (the book's scripts train one setting per run; the
batch-norm pair shares its loop), all on the same batches (one generator per network, same seed).

The data is the embedded subset (public/data/embedded/, IDX gz: 8,000 training / 2,000 test
images). Prints one JSON line:
  {"experiment", "seconds", "iterations", "epochs", "threads", "networks": [{name, seconds, train,
   test?, ...}], "scales"?: [{scale, bn, plain}], "search"?: {best: {validation, lr, l2}, above,
   aboveLrMin?, aboveLrMax?}} (hypersearch's networks carry lr, l2, train and validation)
with the final accuracies (the last record). `seconds` is the whole experiment's training and
evaluation, not the data loading.

Usage: python3 bench/numpy_chapter6.py --experiment batchnorm|overfit|dropout|hypersearch [--epochs E] [--seed S] [--data DIR]
"""
import os

# One core, before numpy loads its BLAS (the baseline is numpy on one core).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

BN_EPS = 1e-6
LOG_EPS = 1e-7
LR = 0.01
BATCH = 100

EXPERIMENTS = {
    "batchnorm": {"train_limit": 1000, "hidden": [100] * 5, "epochs": 20},
    "overfit": {"train_limit": 300, "hidden": [100] * 6, "epochs": 201},
    "dropout": {"train_limit": 300, "hidden": [100] * 6, "epochs": 301},
    "hypersearch": {"train_limit": 500, "hidden": [100] * 6, "epochs": 50, "trials": 100, "validation": 0.2},
}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, train_limit):
    def images(name):
        return read_idx(os.path.join(data_dir, name)).reshape(-1, 784).astype(np.float64) / 255.0

    def labels(name):
        return read_idx(os.path.join(data_dir, name)).astype(np.int64)

    x_train = images("train-images-idx3-ubyte.gz")[:train_limit]
    t_train = labels("train-labels-idx1-ubyte.gz")[:train_limit]
    return x_train, t_train, images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")


class Net:
    """MultiLayerNetExtend with SGD: parameters, running statistics, forward, backward, update."""

    def __init__(self, rng, sizes, std="he", bn=False, dropout=0.0, l2=0.0, lr=LR):
        self.lr = lr
        self.W, self.b = [], []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            scale = np.sqrt(2.0 / n_in) if std == "he" else std
            self.W.append(scale * rng.standard_normal((n_in, n_out)))
            self.b.append(np.zeros(n_out))
        self.hidden = len(sizes) - 2
        self.bn, self.dropout, self.l2 = bn, dropout, l2
        if bn:
            self.gamma = [np.ones(n) for n in sizes[1:-1]]
            self.beta = [np.zeros(n) for n in sizes[1:-1]]
            self.running_mean = [np.zeros(n) for n in sizes[1:-1]]
            self.running_var = [np.zeros(n) for n in sizes[1:-1]]

    def forward(self, x, train, mask_rng=None):
        """Logits; in training also the cache backward needs (and the running statistics move)."""
        cache = []
        h = x
        for l in range(self.hidden):
            a = h @ self.W[l] + self.b[l]
            layer = {"input": h}
            if self.bn:
                if train:
                    mu = a.mean(axis=0)
                    xc = a - mu
                    var = np.mean(xc**2, axis=0)
                    std = np.sqrt(var + BN_EPS)
                    xn = xc / std
                    self.running_mean[l] = 0.9 * self.running_mean[l] + 0.1 * mu
                    self.running_var[l] = 0.9 * self.running_var[l] + 0.1 * var
                    layer.update(xc=xc, std=std, xn=xn)
                else:
                    xn = (a - self.running_mean[l]) / np.sqrt(self.running_var[l] + BN_EPS)
                a = self.gamma[l] * xn + self.beta[l]
            relu = a > 0
            h = a * relu
            layer["relu"] = relu
            if self.dropout > 0:
                if train:
                    mask = mask_rng.random(h.shape) > self.dropout
                    h = h * mask
                    layer["mask"] = mask
                else:
                    h = h * (1.0 - self.dropout)
            cache.append(layer)
        cache.append({"input": h})
        return h @ self.W[-1] + self.b[-1], cache

    def decay(self):
        return 0.5 * self.l2 * sum(np.sum(W * W) for W in self.W) if self.l2 > 0 else 0.0

    def loss(self, x, t):
        """The loss the book's Trainer records: evaluation mode, with the L2 term."""
        logits, _ = self.forward(x, train=False)
        y = softmax(logits)
        return float(-np.sum(np.log(y[np.arange(len(t)), t] + LOG_EPS)) / len(t)) + self.decay()

    def accuracy(self, x, t):
        logits, _ = self.forward(x, train=False)
        return float(np.mean(np.argmax(logits, axis=1) == t))

    def step(self, x, t, mask_rng):
        """One SGD step on the batch (the book's gradient() then optimizer.update())."""
        logits, cache = self.forward(x, train=True, mask_rng=mask_rng)
        n = len(t)
        d = softmax(logits)
        d[np.arange(n), t] -= 1
        d /= n
        grads = []  # (layer, dW, db, dgamma, dbeta), last layer first
        grads.append((self.hidden, cache[-1]["input"].T @ d, d.sum(axis=0), None, None))
        d = d @ self.W[-1].T
        for l in range(self.hidden - 1, -1, -1):
            layer = cache[l]
            if self.dropout > 0:
                d = d * layer["mask"]
            d = d * layer["relu"]
            dgamma = dbeta = None
            if self.bn:
                xc, std, xn = layer["xc"], layer["std"], layer["xn"]
                dbeta = d.sum(axis=0)
                dgamma = np.sum(xn * d, axis=0)
                dxn = self.gamma[l] * d
                dxc = dxn / std
                dstd = -np.sum((dxn * xc) / (std * std), axis=0)
                dvar = 0.5 * dstd / std
                dxc += (2.0 / n) * xc * dvar
                d = dxc - dxc.sum(axis=0) / n
            grads.append((l, layer["input"].T @ d, d.sum(axis=0), dgamma, dbeta))
            if l > 0:
                d = d @ self.W[l].T
        for l, dW, db, dgamma, dbeta in grads:
            if self.l2 > 0:
                dW = dW + self.l2 * self.W[l]
            self.W[l] -= self.lr * dW
            self.b[l] -= self.lr * db
            if dgamma is not None:
                self.gamma[l] -= self.lr * dgamma
                self.beta[l] -= self.lr * dbeta


def softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def train_loop(nets, x_train, t_train, x_test, t_test, epochs, seed, trainer):
    """The scripts' loop (or the Trainer's) over `nets` in lockstep on one batch stream; returns the records and iterations."""
    batch_rng = np.random.default_rng(seed)
    mask_rng = np.random.default_rng(seed + 1)
    size = len(x_train)
    per_epoch = max(size / BATCH, 1)
    records = [[] for _ in nets]
    max_iter = int(epochs * per_epoch) if trainer else None
    i = 0
    while True:
        if max_iter is not None and i >= max_iter:
            break
        idx = batch_rng.choice(size, BATCH)
        x, t = x_train[idx], t_train[idx]
        for net in nets:
            net.step(x, t, mask_rng)
            if trainer:
                net.loss(x, t)  # the Trainer records it each iteration
        if i % per_epoch == 0:
            for net, rec in zip(nets, records):
                rec.append((net.accuracy(x_train, t_train), net.accuracy(x_test, t_test) if x_test is not None else None))
            if not trainer and len(records[0]) >= epochs:
                i += 1
                break
        i += 1
    return records, i


def hypersearch(spec, x_train, t_train, sizes, epochs, seed, out):
    """The book's search: shuffle, hold out the first 20 % for validation, 100 trials through the Trainer."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x_train))
    held = int(len(x_train) * spec["validation"])
    x_val, t_val = x_train[order[:held]], t_train[order[:held]]
    x_fit, t_fit = x_train[order[held:]], t_train[order[held:]]
    out.update(trainSize=len(x_fit), validationSize=held, testSize=0)
    networks, iterations = [], 0
    for k in range(spec["trials"]):
        weight_decay = 10 ** rng.uniform(-8, -4)
        lr = 10 ** rng.uniform(-6, -2)
        net = Net(np.random.default_rng(seed + 100 + k), sizes, l2=weight_decay, lr=lr)
        began = time.perf_counter()
        records, iterations = train_loop([net], x_fit, t_fit, x_val, t_val, epochs, seed + 1 + k, trainer=True)
        train, validation = records[0][-1]
        networks.append({"name": f"trial {k + 1}", "seconds": time.perf_counter() - began, "lr": lr, "l2": weight_decay, "train": train, "validation": validation})
    learned = [n for n in networks if n["validation"] > 0.5]
    best = max(networks, key=lambda n: n["validation"])
    summary = {"best": {"validation": best["validation"], "lr": best["lr"], "l2": best["l2"]}, "above": len(learned)}
    if learned:
        summary.update(aboveLrMin=min(n["lr"] for n in learned), aboveLrMax=max(n["lr"] for n in learned))
    return {"networks": networks, "search": summary, "iterations": iterations}


def run(experiment, data_dir, epochs, seed):
    spec = EXPERIMENTS[experiment]
    epochs = epochs or spec["epochs"]
    x_train, t_train, x_test, t_test = load(data_dir, spec["train_limit"])
    sizes = [784, *spec["hidden"], 10]
    out = {"experiment": experiment, "epochs": epochs, "trainSize": len(x_train), "testSize": len(x_test), "networks": []}
    start = time.perf_counter()
    if experiment == "hypersearch":
        out.update(hypersearch(spec, x_train, t_train, sizes, epochs, seed, out))
        iterations = out.pop("iterations")
    elif experiment == "batchnorm":
        out["scales"] = []
        for k, scale in enumerate(np.logspace(0, -4, 16)):
            rng = np.random.default_rng(seed + 100 + k)
            pair = [Net(rng, sizes, std=scale, bn=True), Net(rng, sizes, std=scale)]
            began = time.perf_counter()
            # batch_norm_test.py records training accuracy only.
            records, iterations = train_loop(pair, x_train, t_train, None, None, epochs, seed, trainer=False)
            seconds = time.perf_counter() - began
            out["scales"].append({"scale": float(scale), "bn": records[0][-1][0], "plain": records[1][-1][0]})
            for name, rec in zip(("bn", "plain"), records):
                out["networks"].append({"name": f"W {scale:.3g}{' BN' if name == 'bn' else ''}", "seconds": seconds / 2, "train": rec[-1][0]})
    else:
        settings = [("lambda = 0", {}), ("lambda = 0.1", {"l2": 0.1})] if experiment == "overfit" else [("no dropout", {}), ("dropout 0.2", {"dropout": 0.2})]
        for k, (name, options) in enumerate(settings):
            net = Net(np.random.default_rng(seed + 100 + k), sizes, **options)
            began = time.perf_counter()
            records, iterations = train_loop([net], x_train, t_train, x_test, t_test, epochs, seed, trainer=experiment == "dropout")
            final_test = net.accuracy(x_test, t_test) if experiment == "dropout" else records[0][-1][1]
            train = records[0][-1][0]
            out["networks"].append({"name": name, "seconds": time.perf_counter() - began, "train": train, "test": final_test, "gap": train - final_test})
    out["seconds"] = time.perf_counter() - start
    out["iterations"] = iterations
    out["threads"] = os.environ["OPENBLAS_NUM_THREADS"]
    out["numpy"] = np.__version__
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="The book's chapter-6 experiments in float64 numpy on one core.")
    ap.add_argument("--experiment", required=True, choices=sorted(EXPERIMENTS))
    ap.add_argument("--epochs", type=int, default=0, help="fewer epochs for quick checks (default: the book's)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default=os.path.join(here, "..", "public", "data", "embedded"))
    args = ap.parse_args()
    with np.errstate(all="ignore"):  # without batch norm the largest scales overflow, as in the book
        out = run(args.experiment, args.data, args.epochs, args.seed)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
