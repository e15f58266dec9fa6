#!/usr/bin/env python3
"""The seed race written the ordinary way in PyTorch: the peer a user who outgrows the browser picks.

Six nn.Sequential MLPs (784-100-100-100-100-10, ReLU) with torch.optim optimizers at the seed's
settings, trained on the same minibatches as ours (batch_indices below is src/nn/batch.ts's PCG
hash, ported), the loss measured on the batch after the update as the seed does. Timed in eager
mode, with CUDA graphs (one graph per iteration for all six racers) and with torch.compile, on the
same device in the same run. Without CUDA it runs on the CPU (eager, and compile when it works).

  python3 torch_race.py --data DIR --out torch.json [--init init-params.f32] [--iterations N]
                        [--warmup N] [--modes eager,graphs,compile]

How torch.optim's rules relate to the seed's (shared/seed/README.md, eps = 1e-7):
- Momentum: torch keeps buf = mu*buf + g and steps p -= lr*buf; the seed's v = mu*v - lr*g is
  v = -lr*buf: the same rule at a constant lr.
- Nesterov: torch's SGD(nesterov=True) steps p -= lr*(g + mu*buf); the seed's p += mu^2*v - (1+mu)*lr*g
  equals p + mu*v_new - lr*g, which is the same rule (v = -lr*buf), not an approximation.
- AdaGrad and RMSprop: torch puts eps outside the sqrt like the seed; only its default differs
  (1e-10, 1e-8), so eps=1e-7 is passed and the rules are the seed's.
- Adam: torch divides by sqrt(v)/sqrt(1-beta2^t) + eps, the seed by sqrt(v) + eps after folding the
  bias correction into lr_t: torch's eps is the seed's times sqrt(1-beta2^t) (1e-7 vs ~4.5e-10 at
  t=1). A difference only while v is tiny; eps=1e-7 is passed.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

SIZES = [784, 100, 100, 100, 100, 10]
BATCH = 128
SEED = 1
# The seed's order and settings (optimizer_compare_mnist).
RACERS = ['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']
EPS = 1e-7


M32 = 0xFFFFFFFF


def pcg_hash(v):
    """src/nn/batch.ts pcgHash: one PCG step with an RXS-M-XS output, in u32 arithmetic (pure Python)."""
    state = (v * 747796405 + 2891336453) & M32
    word = (((state >> ((state >> 28) + 4)) ^ state) * 277803737) & M32
    return (word >> 22) ^ word


def batch_indices(seed, iteration, batch_size, train_count):
    """Image indices of (0-based) iteration's minibatch: pcg(row + pcg(iteration + pcg(seed))) % count."""
    inner = pcg_hash((iteration + pcg_hash(seed)) & M32)
    return [pcg_hash((row + inner) & M32) % train_count for row in range(batch_size)]


def read_idx(path):
    import numpy as np

    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic, count = struct.unpack('>II', data[:8])
    dims = magic & 0xFF
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def init_weights(path):
    """Our initParams block (src/nn/layout.ts: W row-major I x O, then b, 16-byte aligned), per layer."""
    import numpy as np

    flat = np.fromfile(path, dtype=np.float32)
    layers, offset = [], 0
    align = lambda n: (n + 3) // 4 * 4
    for i, o in zip(SIZES[:-1], SIZES[1:]):
        w = flat[offset:offset + i * o].reshape(i, o)
        b_at = align(offset + i * o)
        b = flat[b_at:b_at + o]
        offset = align(b_at + o)
        layers.append((w, b))
    return layers


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--init', help='our init-params.f32 (He init of the race seed); torch init with seed 1 when absent')
    parser.add_argument('--iterations', type=int, default=2000)
    parser.add_argument('--warmup', type=int, default=20)
    parser.add_argument('--modes', default='eager,graphs,compile')
    args = parser.parse_args(argv)

    import numpy as np
    import torch
    from torch import nn

    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    images = read_idx(os.path.join(args.data, 'train-images-idx3-ubyte.gz')).reshape(-1, 784)
    labels = read_idx(os.path.join(args.data, 'train-labels-idx1-ubyte.gz'))
    count = len(labels)
    total = args.warmup + args.iterations
    all_indices = np.array([batch_indices(SEED, i, BATCH, count) for i in range(total)], dtype=np.int64)
    X_all = torch.from_numpy(images.copy()).to(device)
    T_all = torch.from_numpy(labels.astype(np.int64)).to(device)
    idx_all = torch.from_numpy(all_indices).to(device)
    init = init_weights(args.init) if args.init else None

    def build():
        torch.manual_seed(SEED)
        models = []
        for _ in RACERS:
            layers = []
            for l, (i, o) in enumerate(zip(SIZES[:-1], SIZES[1:])):
                lin = nn.Linear(i, o)
                if init is not None:
                    w, b = init[l]
                    lin.weight.data.copy_(torch.from_numpy(w.T.copy()))
                    lin.bias.data.copy_(torch.from_numpy(b.copy()))
                else:
                    nn.init.normal_(lin.weight, std=(2.0 / i) ** 0.5)
                    nn.init.zeros_(lin.bias)
                layers += [lin, nn.ReLU()] if l + 2 < len(SIZES) else [lin]
            models.append(nn.Sequential(*layers).to(device))
        return models

    def optimizers(models, capturable):
        cap = {'capturable': True} if capturable else {}
        p = [m.parameters() for m in models]
        return [
            torch.optim.SGD(p[0], lr=0.01),
            torch.optim.SGD(p[1], lr=0.01, momentum=0.9),
            torch.optim.Adagrad(p[2], lr=0.01, eps=EPS),
            torch.optim.Adam(p[3], lr=0.001, betas=(0.9, 0.999), eps=EPS, **cap),
            torch.optim.RMSprop(p[4], lr=0.01, alpha=0.99, eps=EPS, **cap),
            torch.optim.SGD(p[5], lr=0.01, momentum=0.9, nesterov=True),
        ]

    def seed_loss(logits, t):
        # The seed's cross-entropy: -mean log(softmax + 1e-7) of the true class.
        y = torch.softmax(logits, dim=1)
        return -torch.log(y.gather(1, t[:, None]) + EPS).mean()

    def run_mode(mode):
        models = build()
        forwards = [torch.compile(m) for m in models] if mode == 'compile' else models
        opts = optimizers(models, capturable=mode == 'graphs')
        losses = torch.zeros(total, len(RACERS), device=device)
        slot = torch.zeros((), dtype=torch.int64, device=device)

        def iteration(i_tensor):
            idx = idx_all[i_tensor]
            X = X_all[idx].float() / 255.0
            t = T_all[idx]
            after = []
            for f, opt in zip(forwards, opts):
                opt.zero_grad(set_to_none=False)
                seed_loss(f(X), t).backward()
                opt.step()
                with torch.no_grad():
                    after.append(seed_loss(f(X), t))
            return torch.stack(after)

        sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
        if mode == 'graphs':
            if device.type != 'cuda':
                return {'error': 'CUDA graphs need a CUDA device'}
            # The documented recipe: warm up on a side stream, then capture one whole iteration.
            stream = torch.cuda.Stream()
            stream.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(stream):
                for i in range(3):
                    slot.fill_(i)
                    losses[i] = iteration(slot)
            torch.cuda.current_stream().wait_stream(stream)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                static = iteration(slot)
            step = lambda i: (slot.fill_(i), graph.replay(), losses[i].copy_(static))
        else:
            step = lambda i: losses.__setitem__(i, iteration(i))
        started = time.perf_counter()
        for i in range(3 if mode == 'graphs' else 0, args.warmup):
            step(i)
        sync()
        warm = time.perf_counter() - started
        started = time.perf_counter()
        for i in range(args.warmup, total):
            step(i)
        sync()
        seconds = time.perf_counter() - started
        timed = losses[args.warmup:].cpu().numpy()
        return {
            'msPerIteration': 1000 * seconds / args.iterations,
            'iterations': args.iterations,
            'warmupSeconds': warm,
            'firstLosses': dict(zip(RACERS, losses[0].cpu().tolist())),
            'lastLosses': dict(zip(RACERS, timed[-1].tolist())),
        }

    report = {
        'torch': torch.__version__,
        'device': torch.cuda.get_device_name() if device.type == 'cuda' else 'cpu',
        'race': {'sizes': SIZES, 'batchSize': BATCH, 'seed': SEED, 'racers': RACERS, 'init': 'ours' if init else 'torch seed 1'},
        'modes': {},
    }
    for mode in [m for m in args.modes.split(',') if m]:
        print(f'[torch_race] {mode} on {report["device"]} ...', file=sys.stderr, flush=True)
        try:
            result = run_mode(mode)
        except Exception as error:  # one mode failing (e.g. compile without a compiler) must not lose the others
            result = {'error': f'{type(error).__name__}: {error}'}
        report['modes'][mode] = result
        print(f'[torch_race] {mode}: {result.get("msPerIteration", result.get("error"))}', file=sys.stderr, flush=True)
    with open(args.out, 'w') as f:
        json.dump(report, f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
