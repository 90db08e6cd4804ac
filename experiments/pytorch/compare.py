"""RevTrain against PyTorch on the same Hamiltonian networks, in one run.

    /usr/bin/python3 experiments/pytorch/compare.py --layers 38,110,1202 --out docs/results

runs, for every depth, RevTrain's STORED and REVERSIBLE training steps (`./revtrain ablate
memory`, each configuration in a fresh JVM) and PyTorch's plain-autograd and reversible ones
(hamiltonian_torch.py, each in a fresh Python process), all with batch 32, 32x32x3 images, 2
threads, float32 (RevTrain's units carry their state in float32 too, as the PyTorch peer does,
unless --state-dtype float64), plain SGD; then prints one Markdown table of median step times and peak
resident sets, and writes it to OUT/pytorch-comparison.md and OUT/pytorch-comparison.csv.
Build RevTrain first (mvn -q -DskipTests package); PyTorch comes from Debian's python3-torch.
"""

import argparse
import csv
import datetime
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def revtrain(args, out):
    command = [os.path.join(ROOT, "revtrain"), "ablate", "memory", "--models", "hamiltonian",
               "--layers", args.layers, "--modes", "stored,reversible", "--batch", str(args.batch),
               "--image", str(args.image), "--steps", str(args.steps), "--state-dtype", args.state_dtype,
               "--out", out]
    print("$ " + " ".join(command), flush=True)
    subprocess.run(command, check=True)
    with open(os.path.join(out, "memory.csv")) as f:
        return {(int(r["layers"]), r["mode"]): r for r in csv.DictReader(f)}


def torch_probe(args, layers, mode):
    command = [sys.executable, os.path.join(HERE, "hamiltonian_torch.py"), "--layers", str(layers),
               "--mode", mode, "--batch", str(args.batch), "--image", str(args.image),
               "--steps", str(args.steps), "--threads", str(args.threads)]
    print("$ " + " ".join(command), flush=True)
    run = subprocess.run(command, capture_output=True, text=True)
    for line in run.stdout.splitlines():
        if line.startswith("TORCH "):
            return json.loads(line[len("TORCH "):])
    print(f"pytorch {mode} at {layers} layers failed (exit {run.returncode}): "
          + (run.stderr.strip().splitlines() or ["no output"])[-1], flush=True)
    return None


def mib(value):
    return f"{float(value) / 1048576:.0f}"


def seconds(value):
    return f"{float(value):.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", default="38,110,1202", help="depths 12 k + 2, comma-separated")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--image", type=int, default=32)
    parser.add_argument("--steps", type=int, default=3, help="timed steps after warm-up")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--state-dtype", default="float32", choices=["float32", "float64"],
                        help="RevTrain's state type (default float32: the peer's arithmetic)")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "results"))
    args = parser.parse_args()
    depths = [int(d) for d in args.layers.split(",")]
    os.makedirs(args.out, exist_ok=True)

    rows = []
    for layers in depths:
        torch_rows = {mode: torch_probe(args, layers, mode) for mode in ("autograd", "reversible")}
        rows.append((layers, torch_rows))
    ours = revtrain(args, os.path.join(args.out, "pytorch-comparison-revtrain"))

    header = ["layers", "params", "RevTrain STORED s", "RevTrain REVERSIBLE s",
              "PyTorch autograd s", "PyTorch reversible s", "REVERSIBLE: RevTrain / PyTorch time",
              "RevTrain STORED RSS MiB", "RevTrain REVERSIBLE RSS MiB", "PyTorch autograd RSS MiB",
              "PyTorch reversible RSS MiB", "RevTrain REVERSIBLE TF peak MiB"]
    table = []
    for layers, t in rows:
        stored, rev = ours.get((layers, "stored")), ours.get((layers, "reversible"))
        auto, trev = t["autograd"], t["reversible"]

        def ok(r):
            return r is not None and r.get("status", "ok") == "ok"

        ratio = (f"{float(rev['step_seconds_median']) / trev['step_seconds_median']:.2f}"
                 if ok(rev) and trev else "")
        table.append([
            str(layers),
            rev["params"] if ok(rev) else (str(trev["params"]) if trev else ""),
            seconds(stored["step_seconds_median"]) if ok(stored) else "failed",
            seconds(rev["step_seconds_median"]) if ok(rev) else "failed",
            seconds(auto["step_seconds_median"]) if auto else "failed",
            seconds(trev["step_seconds_median"]) if trev else "failed",
            ratio,
            mib(stored["rss_peak_bytes"]) if ok(stored) else "",
            mib(rev["rss_peak_bytes"]) if ok(rev) else "",
            mib(auto["rss_peak_bytes"]) if auto else "",
            mib(trev["rss_peak_bytes"]) if trev else "",
            mib(rev["tf_peak_bytes"]) if ok(rev) else "",
        ])

    torch_version = next((t[m]["torch"] for _, t in rows for m in t if t[m]), "?")
    lines = [
        "# RevTrain against PyTorch: Hamiltonian networks, one training step",
        "",
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores,"
        f" {platform.platform()}, PyTorch {torch_version} (Debian python3-torch), batch {args.batch},"
        f" {args.image}x{args.image}x3, {args.threads} threads, float32 (RevTrain's state in {args.state_dtype}), plain SGD; step times are"
        f" medians of {args.steps} steps after a warm-up step; RSS is each process's peak resident"
        " set (a JVM with TensorFlow, or Python with PyTorch).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---:|" * len(header),
    ] + ["| " + " | ".join(r) + " |" for r in table]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(args.out, "pytorch-comparison.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out, "pytorch-comparison.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(table)


if __name__ == "__main__":
    main()
