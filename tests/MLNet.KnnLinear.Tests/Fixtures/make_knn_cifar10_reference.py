#!/usr/bin/python3
"""Makes knn_cifar10_reference.json: exact brute-force kNN on the shared CIFAR-10 split (raw pixel bytes 0..255),
the reference the kNN classifier's neighbours, votes and accuracy are checked against.

    /usr/bin/python3 tests/MLNet.KnnLinear.Tests/Fixtures/make_knn_cifar10_reference.py [data_dir]

Train = all records of data_batch_1..5 in order (training row index = position in that concatenation), test =
test_batch; the file's sha256s identify the data subset. Distances are exact integers: L1 = sum |q - x|,
L2 = sum (q - x)^2 (squared, ranking by it is the same as by the Euclidean distance). Neighbour order: ascending
distance, ties by ascending training row index.

Vote rule: each of the k nearest neighbours casts one (uniform) vote for its class; the prediction is the class with
the most votes; if several classes share the most votes, it is the tied class of the nearest neighbour (first in the
order above) whose class is one of them. "tied_votes" counts the test rows where several classes shared the most votes.

"l2_k10" / "l1_k7" hold, per test row, the 10 (7) nearest training rows and their distances, and whether the 10th and
11th (7th and 8th) distances are equal, i.e. whether the neighbour set depends on the index tie-break.
"""
import hashlib
import json
import os
import sys
import time

import numpy as np

from cifar_split import read_batch

data_dir = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cifar-10-batches-bin"
out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "knn_cifar10_reference.json")
train_files = [f"data_batch_{i}.bin" for i in range(1, 6)]
start = time.time()

parts = [read_batch(data_dir, name) for name in train_files]
x_train = np.concatenate([p[0] for p in parts]).astype(np.int64)  # read_batch gives float64; bytes are exact in it
y_train = np.concatenate([p[1] for p in parts])
x_test, y_test = read_batch(data_dir, "test_batch.bin")
x_test = x_test.astype(np.int64)
x_train_f64, x_train_i16 = x_train.astype(np.float64), x_train.astype(np.int16)
train_sq = (x_train * x_train).sum(axis=1)


def l2_squared(q):
    """Exact squared L2 distances of the rows q to every training row. Every term and partial sum of the float64
    matmul is an integer below 3072 * 255^2 < 2^53, so it is exact in any summation order."""
    dot = np.rint(q.astype(np.float64) @ x_train_f64.T).astype(np.int64)
    return (q * q).sum(axis=1)[:, None] - 2 * dot + train_sq[None, :]


def l1(q):
    return np.stack([np.abs(x_train_i16 - row.astype(np.int16)).sum(axis=1, dtype=np.int64) for row in q])


def neighbour_order(distance, chunk=64):
    """(ordered training indices, their distances) per test row: stable sort, so ties go by training row index."""
    dists = np.concatenate([distance(x_test[i:i + chunk]) for i in range(0, len(x_test), chunk)])
    order = np.argsort(dists, axis=1, kind="stable")
    return order, np.take_along_axis(dists, order, axis=1)


def vote(neighbour_labels):
    counts = np.bincount(neighbour_labels, minlength=10)
    tied = np.flatnonzero(counts == counts.max())
    winner = next(c for c in neighbour_labels if c in tied)
    return int(winner), len(tied) > 1


# Exactness check of the matmul route against direct int64 arithmetic on a few test rows.
check = x_test[[0, 143, 1016]]
direct = np.stack([((x_train - row) ** 2).sum(axis=1) for row in check])
assert np.array_equal(direct, l2_squared(check)), "float64 matmul L2 is not exact"

orders = {"L1": neighbour_order(l1), "L2": neighbour_order(l2_squared)}

configs = []
for name, (order, _) in orders.items():
    for k in (1, 7):
        votes = [vote(y_train[row[:k]]) for row in order]
        predicted = np.array([v[0] for v in votes])
        correct = int((predicted == y_test).sum())
        configs.append({"distance": name, "k": k, "accuracy": correct / len(y_test), "correct": correct,
                        "tied_votes": sum(v[1] for v in votes), "predicted": predicted.tolist()})


def nearest(name, k):
    order, dists = orders[name]
    return {"indices": order[:, :k].tolist(), "distances": dists[:, :k].tolist(),
            "tie_at_boundary": (dists[:, k - 1] == dists[:, k]).tolist()}


def sha256(name):
    with open(os.path.join(data_dir, name), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


result = {
    "generator": f"numpy {np.__version__}, exact int64 brute force (make_knn_cifar10_reference.py)",
    "train_rows": int(len(x_train)),
    "test_rows": int(len(x_test)),
    "sha256": {name: sha256(name) for name in train_files + ["test_batch.bin"]},
    "features": "raw pixel bytes 0..255, 3072 per image (planar R, G, B), no scaling",
    "tie_rule": "neighbours by ascending exact distance (L1 = sum |q-x|, L2 = sum (q-x)^2), equal distances by "
                "ascending training row index; uniform votes among the k nearest; the class with the most votes wins; "
                "among classes tied for the most votes, the class of the nearest neighbour belonging to a tied class",
    "test_labels": y_test.tolist(),
    "knn": configs,
    "l2_k10": nearest("L2", 10),  # distances are squared L2
    "l1_k7": nearest("L1", 7),
}
with open(out_path, "w") as f:  # one top-level key per line, big arrays unindented
    f.write("{\n" + ",\n".join(f"{json.dumps(key)}: {json.dumps(value, separators=(',', ':'))}"
                               for key, value in result.items()) + "\n}\n")

for c in configs:
    print(f"{c['distance']} k={c['k']}: accuracy {c['accuracy']:.6f} ({c['correct']}/{len(y_test)}), "
          f"tied votes {c['tied_votes']}")
print(f"wrote {out_path} ({os.path.getsize(out_path):,} bytes) in {time.time() - start:.1f} s")
