#!/usr/bin/python3
"""Makes knn_cifar10_derived_reference.json: exact brute-force L2 kNN of the shared CIFAR-10 test images against a
16-fold larger training set of shifted / mirrored copies of the training images (raw pixel bytes 0..255): exact
search checked at 129,088 rows, where squared distances and dot products are far beyond float32's 2^24. (Measured
when it was made: a naive float32 expansion orders the top 10 differently on 1 of the 1,017 test rows, row 833.)

    /usr/bin/python3 tests/MLNet.KnnLinear.Tests/Fixtures/make_knn_cifar10_derived_reference.py [data_dir]

Images: train = all records of data_batch_1..5 in order (image index = position in that concatenation), test =
test_batch, exactly as in make_knn_cifar10_reference.py (same sha256s). Each image is 3,072 bytes, planar: channel c
(0..2), row y (0..31), column x (0..31) at byte index c*1024 + y*32 + x.

Derived training rows: 16 per training image, derived row index r = image * 16 + v, v = 0..15. With s = v >> 1
(horizontal shift 0..7) and flip = v & 1, for every c, y, x:

    x1 = (x + s) % 32
    if flip: x1 = 31 - x1
    out[c*1024 + y*32 + x] = image[c*1024 + y*32 + x1]

So v = 0 is the image itself, v = 1 its mirror image (out[x] = image[31 - x]), v = 2 the image cyclically shifted
left by one column (out[x] = image[(x + 1) % 32]), v = 3 that shifted image's mirror image (out[x] = image[31 -
(x + 1) % 32]), and so on; rows y and channels c are never mixed.

Distances are exact integer squared L2, sum (q - x)^2 over the 3,072 bytes. Neighbour order: ascending distance,
ties by ascending derived row index. "l2_k10" holds, per test row, the 10 nearest derived rows, their distances, and
whether the 10th and 11th distances are equal (the neighbour set depends on the index tie-break).

Exactness: q.x is computed by a float64 matmul; every term and partial sum is an integer below 3072 * 255^2 < 2^53, so
it is exact in any summation order (asserted integral), and ||q||^2 - 2 q.x + ||x||^2 is then formed in int64.
Derived rows are built and searched in chunks of training images, so memory stays well under 3 GB.
"""
import hashlib
import json
import os
import sys
import time

import numpy as np

from cifar_split import read_batch

data_dir = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cifar-10-batches-bin"
out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "knn_cifar10_derived_reference.json")
train_files = [f"data_batch_{i}.bin" for i in range(1, 6)]
K = 10
VARIANTS = 16
CHUNK_IMAGES = 256  # 4,096 derived rows (100 MB as float64) per chunk
start = time.time()

x_train = np.concatenate([read_batch(data_dir, name)[0] for name in train_files]).astype(np.uint8)  # exact bytes
x_test = read_batch(data_dir, "test_batch.bin")[0].astype(np.int64)
n_images, n_test = len(x_train), len(x_test)
n_derived = n_images * VARIANTS
assert n_derived < 1 << 20

# gather[v][c*1024 + y*32 + x] = source byte index of derived variant v (see the docstring).
c, y, x = np.meshgrid(np.arange(3), np.arange(32), np.arange(32), indexing="ij")
gather = []
for v in range(VARIANTS):
    s, flip = v >> 1, v & 1
    x1 = (x + s) % 32
    if flip:
        x1 = 31 - x1
    gather.append((c * 1024 + y * 32 + x1).reshape(-1))
gather = np.stack(gather)  # (16, 3072)
assert all(sorted(g) == list(range(3072)) for g in gather.tolist())  # each variant is a permutation of the bytes


def derived(first, last):
    """Derived rows of training images first..last-1, in derived row order (image * 16 + v), as uint8."""
    return x_train[first:last][:, gather].reshape(-1, 3072)  # (n, 16, 3072) -> rows image*16 + v


# Running top-(K+1) per test row as keys distance * 2^20 + derived row index: unique, and ordering the keys is
# ordering by (distance, index). Distances are < 3072 * 255^2 < 2^28, so keys fit in int64.
q_f64 = x_test.astype(np.float64)
q_sq = (x_test * x_test).sum(axis=1)
check_rows = [0, 143, 1016]
check_dists = np.empty((len(check_rows), n_derived), dtype=np.int64)
best = np.full((n_test, K + 1), np.iinfo(np.int64).max, dtype=np.int64)
for first in range(0, n_images, CHUNK_IMAGES):
    last = min(first + CHUNK_IMAGES, n_images)
    rows = derived(first, last).astype(np.float64)
    dot = q_f64 @ rows.T
    dot_int = np.rint(dot)
    assert np.array_equal(dot, dot_int), "float64 dot products are not integral"
    dist = q_sq[:, None] - 2 * dot_int.astype(np.int64) + (rows * rows).sum(axis=1).astype(np.int64)[None, :]
    assert dist.min() >= 0
    base = first * VARIANTS
    check_dists[:, base:base + len(rows)] = dist[check_rows]
    keys = (dist << 20) + np.arange(base, base + len(rows), dtype=np.int64)[None, :]
    both = np.concatenate([best, keys], axis=1)
    best = np.partition(both, K, axis=1)[:, :K + 1]
best.sort(axis=1)
best_dist, best_index = best >> 20, best & ((1 << 20) - 1)

# Exactness check of the matmul route against direct int64 arithmetic over all derived rows for a few test rows.
direct = np.empty_like(check_dists)
for first in range(0, n_images, CHUNK_IMAGES):
    last = min(first + CHUNK_IMAGES, n_images)
    rows = derived(first, last).astype(np.int64)
    base = first * VARIANTS
    direct[:, base:base + len(rows)] = np.stack([((rows - x_test[i]) ** 2).sum(axis=1) for i in check_rows])
assert np.array_equal(direct, check_dists), "float64 matmul L2 is not exact"
for j, i in enumerate(check_rows):
    order = np.argsort(direct[j], kind="stable")[:K + 1]
    assert np.array_equal(order, best_index[i]) and np.array_equal(direct[j][order], best_dist[i]), \
        f"running top-{K + 1} differs from a full sort for test row {i}"


def sha256(name):
    with open(os.path.join(data_dir, name), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


result = {
    "generator": f"numpy {np.__version__}, exact int64 brute force (make_knn_cifar10_derived_reference.py)",
    "train_images": int(n_images),
    "derived_rows": int(n_derived),
    "test_rows": int(n_test),
    "sha256": {name: sha256(name) for name in train_files + ["test_batch.bin"]},
    "derivation": "derived row r = image * 16 + v (v = 0..15, image = index in data_batch_1..5 order); s = v >> 1, "
                  "flip = v & 1; for channel c, row y, column x (byte c*1024 + y*32 + x): x1 = (x + s) % 32, "
                  "if flip then x1 = 31 - x1; out[c, y, x] = image[c, y, x1]",
    "tie_rule": "neighbours by ascending exact squared L2 distance sum (q-x)^2 over raw bytes 0..255, equal "
                "distances by ascending derived row index",
    "l2_k10": {"indices": best_index[:, :K].tolist(), "distances": best_dist[:, :K].tolist(),
               "tie_at_boundary": (best_dist[:, K - 1] == best_dist[:, K]).tolist()},  # distances are squared L2
}
with open(out_path, "w") as f:  # one top-level key per line, big arrays unindented
    f.write("{\n" + ",\n".join(f"{json.dumps(key)}: {json.dumps(value, separators=(',', ':'))}"
                               for key, value in result.items()) + "\n}\n")

print(f"ties at the k={K} boundary: {int((best_dist[:, K - 1] == best_dist[:, K]).sum())} of {n_test} test rows")
print(f"wrote {out_path} ({os.path.getsize(out_path):,} bytes) in {time.time() - start:.1f} s")
