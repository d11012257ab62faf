"""The articles' example in PyTorch on CPU: the reference scripts/bench-mlp compares Arbor with.

784 -> Dense(128, relu) -> Dense(10, softmax), Adam (learning rate 1e-3), cross-entropy, batch 32,
pixels / 255, on Fashion-MNIST from the Debian package dataset-fashion-mnist (the same images as
../shared/datasets/fashion-mnist, which was made from it). Prints one line per epoch: the training
time of the epoch (data already in memory), the cumulative training time and the test accuracy.

Usage: /usr/bin/python3 scripts/bench/mlp_torch.py [--epochs 10] [--threads 2] [--seed 0]
"""
import argparse
import glob
import gzip
import struct
import time

import numpy as np
import torch


def idx(path):
    with gzip.open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def find(name):
    hits = glob.glob("/usr/share/**/" + name, recursive=True)
    if not hits:
        raise SystemExit("mlp_torch.py: cannot find " + name + " (apt-get install dataset-fashion-mnist)")
    return hits[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=32)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x_train = torch.tensor(idx(find("train-images-idx3-ubyte.gz")).reshape(-1, 784), dtype=torch.float32) / 255
    y_train = torch.tensor(idx(find("train-labels-idx1-ubyte.gz")), dtype=torch.long)
    x_test = torch.tensor(idx(find("t10k-images-idx3-ubyte.gz")).reshape(-1, 784), dtype=torch.float32) / 255
    y_test = torch.tensor(idx(find("t10k-labels-idx1-ubyte.gz")), dtype=torch.long)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    total = 0.0
    n = x_train.shape[0]
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, a.batch):
            idx_b = perm[i:i + a.batch]
            opt.zero_grad()
            loss = loss_fn(model(x_train[idx_b]), y_train[idx_b])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - start
        total += seconds
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        print("torch epoch %d: %.2f s, total %.1f s, test accuracy %.4f" % (epoch, seconds, total, accuracy), flush=True)


if __name__ == "__main__":
    main()
