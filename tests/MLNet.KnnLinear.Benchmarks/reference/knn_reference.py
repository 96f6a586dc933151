#!/usr/bin/python3
"""Reference timings for the README: faiss IndexFlatL2 and scikit-learn brute force on the same shapes as
SearchBenchmarks (1,000 queries x 3,072 features against 50,000 rows of CIFAR-10 pixels as float32, the shared
images repeated). Uses Debian's packages (python3-faiss, python3-sklearn); the library never needs Python.

    /usr/bin/python3 tests/MLNet.KnnLinear.Benchmarks/reference/knn_reference.py ../shared/data/cifar-10-batches-bin
"""
import os
import sys
import time

import numpy as np

data_dir = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cifar-10-batches-bin"
rows = int(os.environ.get("ROWS", "50000"))
queries = int(os.environ.get("QUERIES", "1000"))


def read(path):
    raw = np.fromfile(path, dtype=np.uint8).reshape(-1, 3073)
    return raw[:, 1:].astype(np.float32)


train = np.concatenate([read(os.path.join(data_dir, f"data_batch_{i}.bin")) for i in range(1, 6)])
train = np.resize(train, (rows, 3072)).astype(np.float32)  # repeat the shared images up to `rows`
test = np.resize(read(os.path.join(data_dir, "test_batch.bin")), (queries, 3072)).astype(np.float32)


def timed(name, fn, repeat=3):
    best = min(_time(fn) for _ in range(repeat))
    print(f"{name}: {best:.2f} s", flush=True)


def _time(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


import faiss  # noqa: E402

print(f"faiss {faiss.__version__}, omp threads {faiss.omp_get_max_threads()}, rows {rows}, queries {queries}")
index = faiss.IndexFlatL2(3072)
index.add(train)
for k in (1, 7):
    timed(f"faiss IndexFlatL2 k={k}", lambda: index.search(test, k))
index_l1 = faiss.IndexFlat(3072, faiss.METRIC_L1)
index_l1.add(train)
for k in (1, 7):
    timed(f"faiss IndexFlat METRIC_L1 k={k}", lambda: index_l1.search(test, k), repeat=1)

import sklearn  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402

print(f"scikit-learn {sklearn.__version__}")
for metric in ("euclidean", "manhattan"):
    for k in (1, 7):
        nn = NearestNeighbors(n_neighbors=k, algorithm="brute", metric=metric, n_jobs=-1).fit(train)
        timed(f"scikit-learn brute {metric} k={k}", lambda: nn.kneighbors(test), repeat=1)
