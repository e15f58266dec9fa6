#!/usr/bin/env python3
"""The seed race written the ordinary way in PyTorch: the peer a user who outgrows the browser picks.

One nn.Sequential MLP per racer (784-100-100-100-100-10 by default, ReLU) with torch.optim's
optimizers at the seed's settings, trained on the same minibatches as ours (batch_indices below is
src/nn/batch.ts's PCG hash, ported; or our exported indices, --batches), from our initial weights
(--init), the loss measured on the batch after the update as the seed does. Timed as our engines
are: a warm-up race, a reset to the initial weights and zero optimizer state, then the timed race
from iteration 0; in eager mode, with CUDA graphs (one graph per iteration for all racers) and with
torch.compile, on the same device in the same run. Without CUDA it runs on the CPU (eager, and
compile when it works). Writes a JSON report (--out FILE, or - for stdout).

  python3 torch_race.py --data DIR --out torch.json [--init init-params.f32] [--iterations N]
      [--warmup N] [--modes eager,graphs,compile] [--racers sgd,adam,..|JSON] [--sizes 784-100-10]
      [--batch N] [--seed N] [--batches FILE.npy] [--device auto|cpu|cuda] [--threads N]

--racers: optimizer ids (the seed's six by default) at the defaults below, or a JSON list of
{"optimizer": id, "hyperparameters": {...}, "name": ...}. DEFAULTS repeats our registry's defaults
(src/optim/registry.ts; test/torch-peer.test.ts checks that they agree).

How the rules relate to the seed's (shared/seed/README.md; eps = 1e-7) and the registry's:
- Momentum: torch keeps buf = mu*buf + g and steps p -= lr*buf; the seed's v = mu*v - lr*g is
  v = -lr*buf: the same rule at a constant lr.
- Nesterov: torch's SGD(nesterov=True) steps p -= lr*(g + mu*buf); the seed's p += mu^2*v - (1+mu)*lr*g
  equals p + mu*v_new - lr*g, which is the same rule (v = -lr*buf), not an approximation.
- AdaGrad and RMSprop: torch puts eps outside the sqrt like the seed; only its default differs
  (1e-10, 1e-8), so eps=1e-7 is passed and the rules are the seed's.
- AdaDelta and Adamax: torch.optim's rules are the registry's (which follows their pseudocode).
- Adam and AdamW: torch divides by sqrt(v)/sqrt(1-beta2^t) + eps, the seed by sqrt(v) + eps after
  folding the bias correction into lr_t: torch's eps is the seed's times sqrt(1-beta2^t) (1e-7 vs
  ~3.2e-9 at t=1), which changes every weight whose gradient is tiny. SeedAdam below is the seed's
  rule (lr_t from the host in float64, as our engine's step records), in foreach ops.
- Lion: torch.optim has none; Lion below is the paper's Algorithm 2 as the registry writes it.
- The gradient is the seed's (softmax - onehot)/N (cross_entropy's); the recorded loss is the
  seed's -mean log(softmax + 1e-7) of the true class, which has a slightly different gradient.
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

SIZES = [784, 100, 100, 100, 100, 10]
BATCH = 128
SEED = 1
# eps of the seed's adaptive rules; AdaDelta's and Adamax's are PyTorch's defaults (as the registry's).
EPS = 1e-7
ADADELTA_EPS = 1e-6
ADAMAX_EPS = 1e-8
# id: (label, default hyperparameters), as src/optim/registry.ts registers them.
DEFAULTS = {
    'sgd': ('SGD', {'lr': 0.01}),
    'momentum': ('Momentum', {'lr': 0.01, 'momentum': 0.9}),
    'nesterov': ('Nesterov', {'lr': 0.01, 'momentum': 0.9}),
    'adagrad': ('AdaGrad', {'lr': 0.01}),
    'rmsprop': ('RMSprop', {'lr': 0.01, 'decay': 0.99}),
    'adam': ('Adam', {'lr': 0.001, 'beta1': 0.9, 'beta2': 0.999}),
    'adamw': ('AdamW', {'lr': 0.001, 'beta1': 0.9, 'beta2': 0.999, 'weight_decay': 0.01}),
    'lion': ('Lion', {'lr': 0.0001, 'beta1': 0.9, 'beta2': 0.99, 'weight_decay': 0}),
    'adadelta': ('AdaDelta', {'lr': 1, 'rho': 0.9}),
    'adamax': ('Adamax', {'lr': 0.002, 'beta1': 0.9, 'beta2': 0.999}),
}
# The seed's order (optimizer_compare_mnist).
SEED_RACERS = ['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov']
# Losses of this many first timed iterations go into the report (to compare with our engines').
HEAD = 5

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


def layer_offsets(sizes):
    """src/nn/layout.ts networkLayout: per layer (weight offset, bias offset), and P floats per racer."""
    align = lambda n, a: (n + a - 1) // a * a
    offsets, offset = [], 0
    for i, o in zip(sizes[:-1], sizes[1:]):
        b_at = align(offset + i * o, 4)
        offsets.append((offset, b_at))
        offset = align(b_at + o, 4)
    return offsets, align(offset, 64)


def init_weights(path, sizes, racers):
    """Our initParams blocks (W row-major I x O, then b): one for every racer, or one per racer."""
    import numpy as np

    flat = np.fromfile(path, dtype=np.float32)
    offsets, per_racer = layer_offsets(sizes)
    if flat.size not in (per_racer, per_racer * racers):
        raise ValueError(f'{path}: {flat.size} floats; {sizes} needs {per_racer} (one block) or {per_racer * racers} ({racers} racers)')
    blocks = []
    for r in range(racers):
        block = flat[(r * per_racer) % flat.size:][:per_racer]
        layers = [(block[w:w + i * o].reshape(i, o), block[b:b + o]) for (w, b), i, o in zip(offsets, sizes[:-1], sizes[1:])]
        blocks.append(layers)
    return blocks


def parse_racers(text):
    """'sgd,adam' or a JSON list of {"optimizer", "hyperparameters", "name"}: [(id, name, hyperparameters)]."""
    items = json.loads(text) if text.lstrip().startswith('[') else [{'optimizer': s.strip()} for s in text.split(',') if s.strip()]
    racers = []
    for item in items:
        kind = item['optimizer']
        if kind not in DEFAULTS:
            raise ValueError(f"unknown optimizer '{kind}'; known: {', '.join(DEFAULTS)}")
        label, defaults = DEFAULTS[kind]
        given = item.get('hyperparameters') or {}
        unknown = set(given) - set(defaults)
        if unknown:
            raise ValueError(f"{label} has no hyperparameter {', '.join(sorted(unknown))}")
        racers.append((kind, item.get('name') or label, {**defaults, **given}))
    return racers


def seed_optimizers():
    """The rules torch.optim lacks or writes differently, as torch.optim.Optimizer subclasses (imports torch)."""
    import torch

    class SeedRule(torch.optim.Optimizer):
        """Per-step scalars come from the host in float64 (as our engine's step records) through a
        device tensor that `advance` fills before the step, so a captured CUDA graph replays them."""

        def __init__(self, params, defaults, state_names):
            super().__init__(params, defaults)
            self.t = 0
            self.state_names = state_names
            self.params = [p for g in self.param_groups for p in g['params']]
            for p in self.params:
                self.state[p] = {name: torch.zeros_like(p) for name in state_names}
            device = self.params[0].device
            self.scalar = torch.zeros((), dtype=self.params[0].dtype, device=device)

        def moments(self, name):
            return [self.state[p][name] for p in self.params]

        def advance(self):
            self.t += 1
            self.scalar.fill_(self.step_scalar(self.t))

        def step_scalar(self, t):
            return 0.0

        def reset(self):
            self.t = 0
            for p in self.params:
                for v in self.state[p].values():
                    v.zero_()

    class SeedAdam(SeedRule):
        """The seed's Adam (AdamW with weight_decay): lr_t = lr*sqrt(1-b2^t)/(1-b1^t);
        m += (1-b1)(g-m); v += (1-b2)(g^2-v); p -= lr_t*m/(sqrt(v)+eps); AdamW first p -= lr*wd*p."""

        def __init__(self, params, lr, beta1, beta2, weight_decay=0.0):
            super().__init__(params, {'lr': lr}, ['m', 'v'])
            self.h = (lr, beta1, beta2, weight_decay)

        def step_scalar(self, t):
            lr, b1, b2, _ = self.h
            return lr * math.sqrt(1 - b2**t) / (1 - b1**t)

        @torch.no_grad()
        def step(self):
            lr, b1, b2, wd = self.h
            p, g = self.params, [q.grad for q in self.params]
            m, v = self.moments('m'), self.moments('v')
            if wd:
                torch._foreach_mul_(p, 1 - lr * wd)
            torch._foreach_lerp_(m, g, 1 - b1)
            torch._foreach_mul_(v, b2)
            torch._foreach_addcmul_(v, g, g, 1 - b2)
            denom = torch._foreach_sqrt(v)
            torch._foreach_add_(denom, EPS)
            update = torch._foreach_div(m, denom)
            torch._foreach_mul_(update, self.scalar)
            torch._foreach_sub_(p, update)

    class Lion(SeedRule):
        """arXiv 2302.06675 Algorithm 2, as the registry: c = b1*m + (1-b1)*g; p -= lr*(sign(c) + wd*p);
        m = b2*m + (1-b2)*g."""

        def __init__(self, params, lr, beta1, beta2, weight_decay=0.0):
            super().__init__(params, {'lr': lr}, ['m'])
            self.h = (lr, beta1, beta2, weight_decay)

        @torch.no_grad()
        def step(self):
            lr, b1, b2, wd = self.h
            p, g, m = self.params, [q.grad for q in self.params], self.moments('m')
            c = torch._foreach_lerp(m, g, 1 - b1)
            torch._foreach_sign_(c)
            if wd:
                torch._foreach_mul_(p, 1 - lr * wd)
            torch._foreach_add_(p, c, alpha=-lr)
            torch._foreach_lerp_(m, g, 1 - b2)

    return SeedAdam, Lion


def make_optimizer(kind, params, h, capturable):
    """torch.optim where its rule is the seed's/registry's; the script's own rule where it is not."""
    import torch

    SeedAdam, Lion = seed_optimizers()
    cap = {'capturable': True} if capturable else {}
    if kind == 'sgd':
        return torch.optim.SGD(params, lr=h['lr'])
    if kind in ('momentum', 'nesterov'):
        return torch.optim.SGD(params, lr=h['lr'], momentum=h['momentum'], nesterov=kind == 'nesterov')
    if kind == 'adagrad':
        return torch.optim.Adagrad(params, lr=h['lr'], eps=EPS)
    if kind == 'rmsprop':
        return torch.optim.RMSprop(params, lr=h['lr'], alpha=h['decay'], eps=EPS, **cap)
    if kind == 'adadelta':
        return torch.optim.Adadelta(params, lr=h['lr'], rho=h['rho'], eps=ADADELTA_EPS, **cap)
    if kind == 'adamax':
        return torch.optim.Adamax(params, lr=h['lr'], betas=(h['beta1'], h['beta2']), eps=ADAMAX_EPS, **cap)
    if kind in ('adam', 'adamw'):
        return SeedAdam(params, h['lr'], h['beta1'], h['beta2'], h.get('weight_decay', 0.0))
    if kind == 'lion':
        return Lion(params, h['lr'], h['beta1'], h['beta2'], h['weight_decay'])
    raise ValueError(f"unknown optimizer '{kind}'")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', required=True, help='directory of train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz')
    parser.add_argument('--out', required=True, help="the JSON report's file, or - for stdout")
    parser.add_argument('--init', help='our init-params.f32 (He init of the race seed); torch init with seed 1 when absent')
    parser.add_argument('--batches', help='our minibatch indices (.npy, iterations x batch) instead of the ported hash')
    parser.add_argument('--iterations', type=int, default=2000)
    parser.add_argument('--warmup', type=int, default=20)
    parser.add_argument('--modes', default='eager,graphs,compile')
    parser.add_argument('--racers', default=','.join(SEED_RACERS))
    parser.add_argument('--sizes', default='-'.join(map(str, SIZES)))
    parser.add_argument('--batch', type=int, default=BATCH)
    parser.add_argument('--seed', type=int, default=SEED)
    parser.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto')
    parser.add_argument('--threads', type=int, help="torch's CPU threads (default: torch's own choice)")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.warmup < 0:
        parser.error('--iterations must be at least 1 and --warmup at least 0')

    import numpy as np
    import torch
    from torch import nn

    if args.threads:
        torch.set_num_threads(args.threads)
    cuda = torch.cuda.is_available() if args.device == 'auto' else args.device == 'cuda'
    device = torch.device('cuda' if cuda else 'cpu')
    sizes = [int(n) for n in args.sizes.split('-')]
    racers = parse_racers(args.racers)
    images = read_idx(os.path.join(args.data, 'train-images-idx3-ubyte.gz')).reshape(-1, sizes[0])
    labels = read_idx(os.path.join(args.data, 'train-labels-idx1-ubyte.gz'))
    count = len(labels)
    total = max(args.warmup, args.iterations)
    ported = np.array([batch_indices(args.seed, i, args.batch, count) for i in range(total)], dtype=np.int64)
    if args.batches:
        given = np.load(args.batches).astype(np.int64)
        if given.shape[0] < total or given.shape[1:] != (args.batch,):
            raise ValueError(f'{args.batches}: shape {given.shape}, needs at least {total} x {args.batch}')
        all_indices = given[:total]
    else:
        all_indices = ported
    X_all = torch.from_numpy(images.copy()).to(device)
    T_all = torch.from_numpy(labels.astype(np.int64)).to(device)
    idx_all = torch.from_numpy(all_indices).to(device)
    # pixel / 255 as our engines compute it: f32(pixel) * f32(1/255), correctly rounded.
    inv255 = torch.tensor(1 / 255, dtype=torch.float32, device=device)
    init = init_weights(args.init, sizes, len(racers)) if args.init else None

    def build():
        torch.manual_seed(args.seed)
        models = []
        for r in range(len(racers)):
            layers = []
            for l, (i, o) in enumerate(zip(sizes[:-1], sizes[1:])):
                lin = nn.Linear(i, o)
                if init is not None:
                    w, b = init[r][l]
                    lin.weight.data.copy_(torch.from_numpy(w.T.copy()))
                    lin.bias.data.copy_(torch.from_numpy(b.copy()))
                else:
                    nn.init.normal_(lin.weight, std=(2.0 / i) ** 0.5)
                    nn.init.zeros_(lin.bias)
                layers += [lin, nn.ReLU()] if l + 2 < len(sizes) else [lin]
            models.append(nn.Sequential(*layers).to(device))
        return models

    def seed_loss(logits, t):
        # The seed's cross-entropy: -mean log(softmax + 1e-7) of the true class.
        y = torch.softmax(logits, dim=1)
        return -torch.log(y.gather(1, t[:, None]) + EPS).mean()

    def run_mode(mode):
        models = build()
        start = [[p.detach().clone() for p in m.parameters()] for m in models]
        forwards = [torch.compile(m) for m in models] if mode == 'compile' else models
        opts = [make_optimizer(kind, m.parameters(), h, capturable=mode == 'graphs') for (kind, _, h), m in zip(racers, models)]
        losses = torch.zeros(total, len(racers), device=device)
        slot = torch.zeros((), dtype=torch.int64, device=device)

        def reset():
            """Back to the initial weights and zero optimizer state, in place (a captured graph keeps its tensors)."""
            with torch.no_grad():
                for m, first in zip(models, start):
                    for p, p0 in zip(m.parameters(), first):
                        p.copy_(p0)
                for opt in opts:
                    if hasattr(opt, 'advance'):
                        opt.reset()
                    else:
                        for state in opt.state.values():
                            for v in state.values():
                                if torch.is_tensor(v):
                                    v.zero_()

        def advance():
            for opt in opts:
                if hasattr(opt, 'advance'):
                    opt.advance()

        def iteration(i_tensor):
            idx = idx_all[i_tensor]
            X = X_all[idx].float() * inv255
            t = T_all[idx]
            after = []
            for f, opt in zip(forwards, opts):
                opt.zero_grad(set_to_none=False)
                # cross_entropy's gradient is the seed's (softmax - onehot) / N.
                nn.functional.cross_entropy(f(X), t).backward()
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
                    advance()
                    slot.fill_(i)
                    iteration(slot)
            torch.cuda.current_stream().wait_stream(stream)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                static = iteration(slot)
            step = lambda i: (advance(), slot.fill_(i), graph.replay(), losses[i].copy_(static))
            warmed = 3
        else:
            step = lambda i: (advance(), losses.__setitem__(i, iteration(i)))
            warmed = 0
        started = time.perf_counter()
        for i in range(warmed, args.warmup):
            step(i)
        sync()
        warm = time.perf_counter() - started
        reset()
        started = time.perf_counter()
        for i in range(args.iterations):
            step(i)
        sync()
        seconds = time.perf_counter() - started
        timed = losses[:args.iterations].cpu().numpy()
        return {
            'msPerIteration': 1000 * seconds / args.iterations,
            'iterations': args.iterations,
            'warmupIterations': args.warmup,
            'warmupSeconds': warm,
            'firstLosses': timed[0].tolist(),
            'lastLosses': timed[-1].tolist(),
            'headLosses': timed[:HEAD].tolist(),
        }

    report = {
        'torch': torch.__version__,
        'device': torch.cuda.get_device_name() if device.type == 'cuda' else 'cpu',
        'threads': torch.get_num_threads(),
        'race': {
            'sizes': sizes,
            'batchSize': args.batch,
            'seed': args.seed,
            'racers': [name for _, name, _ in racers],
            'hyperparameters': [h for _, _, h in racers],
            'init': 'ours' if init else f'torch seed {args.seed}',
            'batches': 'ours (--batches)' if args.batches else 'the ported hash',
            'batchesMatchPort': bool((all_indices == ported).all()),
        },
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
    text = json.dumps(report, indent=2)
    if args.out == '-':
        print(text)
    else:
        with open(args.out, 'w') as f:
            f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
