"""Chang et al.'s Hamiltonian network in PyTorch, as a peer for RevTrain's benchmarks.

The same network as RevTrain's `hamiltonian-L` models (models/.../Network.java):

    stem     X0 = ReLU(BN(K0 * x))                               3x3 conv, no bias
    units    (Y, Z) = channel halves; per block (Verlet step, h = 1):
                 Y' = Y + h K1^T ReLU(BN(K1 Z))
                 Z' = Z - h K2^T ReLU(BN(K2 Y'))
    between  2x2 average pooling of Y and Z, channels zero-padded to the next unit's width
    head     BN, ReLU, global average pool, fully connected

with filters (32, 32, 64, 112) and blocks per unit (L - 2) / 12, so 241,994 parameters at 38
layers, as RevTrain counts them. Two ways to take the gradient:

    autograd    plain autograd: every activation is stored
    reversible  one torch.autograd.Function per unit that stores only the unit's output and
                rebuilds each block's input from the top by inverting it, then takes that block's
                vector-Jacobian product (16 convolutions per block and step, as RevTrain's
                REVERSIBLE mode)

Run one configuration per process, so that the process's peak resident set is that
configuration's:

    /usr/bin/python3 experiments/pytorch/hamiltonian_torch.py --layers 110 --mode reversible

prints one line `TORCH {json}` with the median step time and the peak RSS. `--check` instead
compares the reversible gradients with autograd's in float64 and exits non-zero if they differ.
Needs Debian's python3-torch (apt-get install python3-torch); nothing of it is part of the build.
"""

import argparse
import json
import math
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

FILTERS = (32, 32, 64, 112)
BN_EPS = 1e-5


def he_normal(out_channels, in_channels):
    std = math.sqrt(2.0 / (9 * in_channels))
    return torch.randn(out_channels, in_channels, 3, 3) * std


def adjoint_conv(s, kernel):
    """K^T S for a 3x3, stride-1, zero-padded convolution K: the convolution with the kernel
    flipped in space and transposed in channels. Same result as F.conv_transpose2d(s, kernel,
    padding=1), but Debian's PyTorch runs conv_transpose2d 12x slower than conv2d (generic BLAS,
    no oneDNN path), and this keeps the peer on its fast kernel."""
    return F.conv2d(s, kernel.flip(2, 3).transpose(0, 1), padding=1)


class TwoLayerField(torch.nn.Module):
    """F(Y) = K^T ReLU(BN(K Y)), K a 3x3 convolution and K^T its adjoint."""

    def __init__(self, channels):
        super().__init__()
        self.kernel = torch.nn.Parameter(he_normal(channels, channels))
        self.gamma = torch.nn.Parameter(torch.ones(channels))
        self.beta = torch.nn.Parameter(torch.zeros(channels))
        self.register_buffer("mean", torch.zeros(channels))
        self.register_buffer("var", torch.ones(channels))

    def forward(self, y, update_statistics=True):
        ky = F.conv2d(y, self.kernel, padding=1)
        # the recomputation of the reversible backward must not move the running statistics again
        mean, var = (self.mean, self.var) if update_statistics else (None, None)
        pre = F.batch_norm(ky, mean, var, self.gamma, self.beta, training=True, eps=BN_EPS)
        return adjoint_conv(F.relu(pre), self.kernel)


class HamiltonianBlock(torch.nn.Module):
    def __init__(self, channels, h):
        super().__init__()
        self.f1 = TwoLayerField(channels)
        self.f2 = TwoLayerField(channels)
        self.h = h

    def forward(self, y, z):
        y = y + self.h * self.f1(z)
        z = z - self.h * self.f2(y)
        return y, z


class ReversibleUnitFunction(torch.autograd.Function):
    """A unit of Hamiltonian blocks whose backward pass reconstructs instead of storing."""

    @staticmethod
    def forward(ctx, blocks, y, z, *parameters):
        ctx.blocks = blocks
        with torch.no_grad():
            for block in blocks:
                y, z = block(y, z)
        ctx.save_for_backward(y, z)
        return y, z

    @staticmethod
    def backward(ctx, dy, dz):
        y, z = ctx.saved_tensors
        grads = []
        for block in reversed(ctx.blocks):
            p2 = list(block.f2.parameters())
            p1 = list(block.f1.parameters())
            with torch.enable_grad():
                # second half-step Z' = Z - h F2(Y'): Z = Z' + h F2(Y'), then its VJP
                y_leaf = y.detach().requires_grad_()
                g2 = -block.h * block.f2(y_leaf, update_statistics=False)
                z = (z - g2).detach()
                d = torch.autograd.grad(g2, [y_leaf] + p2, dz)
                dy = dy + d[0]
                grads2 = d[1:]
                # first half-step Y' = Y + h F1(Z): Y = Y' - h F1(Z), then its VJP
                z_leaf = z.detach().requires_grad_()
                g1 = block.h * block.f1(z_leaf, update_statistics=False)
                y = (y - g1).detach()
                d = torch.autograd.grad(g1, [z_leaf] + p1, dy)
                dz = dz + d[0]
                grads1 = d[1:]
            grads = list(grads1) + list(grads2) + grads
        return (None, dy, dz, *grads)


class HamiltonianNetwork(torch.nn.Module):
    def __init__(self, layers, reversible, h=1.0, in_channels=3, classes=10):
        super().__init__()
        if (layers - 2) % 12 != 0:
            raise ValueError(f"--layers must be 12 k + 2 (3 units of k 4-layer blocks), got {layers}")
        per_unit = (layers - 2) // 12
        self.reversible = reversible
        self.stem = torch.nn.Parameter(he_normal(FILTERS[0], in_channels))
        self.stem_gamma = torch.nn.Parameter(torch.ones(FILTERS[0]))
        self.stem_beta = torch.nn.Parameter(torch.zeros(FILTERS[0]))
        self.units = torch.nn.ModuleList(
            torch.nn.ModuleList(HamiltonianBlock(FILTERS[u + 1] // 2, h) for _ in range(per_unit))
            for u in range(3))
        self.head_gamma = torch.nn.Parameter(torch.ones(FILTERS[3]))
        self.head_beta = torch.nn.Parameter(torch.zeros(FILTERS[3]))
        self.head = torch.nn.Linear(FILTERS[3], classes)
        with torch.no_grad():
            self.head.weight.copy_(torch.randn(classes, FILTERS[3]) * math.sqrt(2.0 / FILTERS[3]))
            self.head.bias.zero_()

    def forward(self, x):
        x = F.conv2d(x, self.stem, padding=1)
        x = F.relu(F.batch_norm(x, None, None, self.stem_gamma, self.stem_beta, training=True, eps=BN_EPS))
        y, z = torch.chunk(x, 2, dim=1)
        for u, blocks in enumerate(self.units):
            if u > 0:
                pad = FILTERS[u + 1] // 2 - y.shape[1]
                y = F.pad(F.avg_pool2d(y, 2), (0, 0, 0, 0, 0, pad))
                z = F.pad(F.avg_pool2d(z, 2), (0, 0, 0, 0, 0, pad))
            if self.reversible:
                y, z = ReversibleUnitFunction.apply(blocks, y, z, *blocks.parameters())
            else:
                for block in blocks:
                    y, z = block(y, z)
        x = torch.cat([y, z], dim=1)
        x = F.relu(F.batch_norm(x, None, None, self.head_gamma, self.head_beta, training=True, eps=BN_EPS))
        return self.head(x.mean(dim=(2, 3)))


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def probe(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    net = HamiltonianNetwork(args.layers, args.mode == "reversible")
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.randn(args.batch, 3, args.image, args.image)
    labels = torch.randint(0, 10, (args.batch,))
    rss_before = peak_rss_bytes()
    times = []
    for _ in range(args.steps + 1):  # the first step is warm-up
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), labels)
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
    result = {
        "system": "pytorch",
        "mode": args.mode,
        "layers": args.layers,
        "batch": args.batch,
        "image": args.image,
        "threads": args.threads,
        "params": sum(p.numel() for p in net.parameters()),
        "first_step_seconds": times[0],
        "step_seconds_median": statistics.median(times[1:]),
        "rss_peak_bytes": peak_rss_bytes(),
        "rss_before_first_step_bytes": rss_before,
        "loss": loss.item(),
        "torch": torch.__version__,
    }
    print("TORCH " + json.dumps(result), flush=True)


def check(args):
    """Reversible gradients equal autograd's (float64, 3 blocks per unit, small images)."""
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(3)
    stored = HamiltonianNetwork(38, reversible=False, h=0.1)
    reversible = HamiltonianNetwork(38, reversible=True, h=0.1)
    reversible.load_state_dict(stored.state_dict())
    x = torch.randn(4, 3, 8, 8)
    labels = torch.randint(0, 10, (4,))
    worst = 0.0
    for net in (stored, reversible):
        F.cross_entropy(net(x), labels).backward()
    for (name, a), b in zip(stored.named_parameters(), reversible.parameters()):
        error = ((a.grad - b.grad).norm() / a.grad.norm()).item()
        worst = max(worst, error)
        if not error <= 1e-10:
            print(f"CHECK FAILED: {name}: relative gradient error {error:.3e} > 1e-10")
            return 1
    s, k = torch.randn(2, 5, 6, 6), torch.randn(5, 7, 3, 3)
    adjoint_error = ((adjoint_conv(s, k) - F.conv_transpose2d(s, k, padding=1)).norm()).item()
    if not adjoint_error <= 1e-12:
        print(f"CHECK FAILED: adjoint_conv differs from conv_transpose2d by {adjoint_error:.3e}")
        return 1
    print(f"CHECK OK: reversible gradients equal autograd's, worst relative error {worst:.1e};"
          f" adjoint_conv = conv_transpose2d to {adjoint_error:.1e}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", type=int, default=38)
    parser.add_argument("--mode", choices=["autograd", "reversible"], default="reversible")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--image", type=int, default=32)
    parser.add_argument("--steps", type=int, default=3, help="timed steps after one warm-up step")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="verify the reversible gradients")
    args = parser.parse_args()
    if args.check:
        sys.exit(check(args))
    probe(args)


if __name__ == "__main__":
    main()
