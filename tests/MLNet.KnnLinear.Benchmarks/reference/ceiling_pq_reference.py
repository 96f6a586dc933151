#!/usr/bin/python3
"""faiss' side of CeilingRun's million-row product codes (`ceiling both-pq ROWS DIR M`): the same rows (set A of
ann_data.py as bytes, then copies with the same seeded noise in [-2, 2] per pixel, clamped to [0, 255]; CeilingRun's
RowValue), an IndexIVFPQ(256 lists, m, 8 bits) trained on the first 65,536 rows (faiss' 256 per list), the rows added
16,384 at a time as float32 (never all at once: 12.7 GB), the first 100 test images as queries, k = 10; recall@10
against the exact neighbours CeilingRun found (int64 ids, 10 per query) at nprobe 16, 32, 64 and 128. faiss 1.7.3, all
cores.

    /usr/bin/python3 ceiling_pq_reference.py ROWS DATA_DIR M EXACT_IDS.i64
"""
import sys
import time

import faiss
import numpy as np

import ann_data

row_count, data_dir, m, exact_path = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
set_a, queries = ann_data.cifar_rows(data_dir, pooled=False)
set_a = set_a.astype(np.uint8)
queries = np.ascontiguousarray(queries[:100])
n, d = set_a.shape
truth = np.fromfile(exact_path, dtype=np.int64).reshape(len(queries), 10)
BATCH = 16_384
K_MIX = np.arange(d, dtype=np.uint64) * np.uint64(0x94D049BB133111EB)


def batch(first, count):
    """Rows first .. first + count as float32: set A's row r mod n, plus CeilingRun's seeded noise past the first copy."""
    r = np.arange(first, first + count, dtype=np.uint64)
    copy = r // np.uint64(n)
    values = set_a[(r % np.uint64(n)).astype(np.int64)].astype(np.int32)
    with np.errstate(over="ignore"):
        h = (copy * np.uint64(0x9E3779B97F4A7C15))[:, None] ^ (r * np.uint64(0xBF58476D1CE4E5B))[:, None] ^ K_MIX[None, :]
        h ^= h >> np.uint64(31)
        h = h * np.uint64(0xD6E8FEB86689)
        h ^= h >> np.uint64(29)
    noise = (h % np.uint64(5)).astype(np.int32) - 2
    values = np.where(copy[:, None] > 0, values + noise, values)
    return np.clip(values, 0, 255).astype(np.float32)


print(f"  faiss {faiss.__version__}, {faiss.omp_get_max_threads()} threads; {row_count:,} rows x {d}, PQ{m}", flush=True)
start = time.perf_counter()
quantizer = faiss.IndexFlatL2(d)
ivf = faiss.IndexIVFPQ(quantizer, d, 256, m, 8)
ivf.train(batch(0, 256 * 256))
train = time.perf_counter() - start
start = time.perf_counter()
for first in range(0, row_count, BATCH):
    ivf.add(batch(first, min(BATCH, row_count - first)))
add = time.perf_counter() - start
memory = (row_count * (m + 8) + 256 * d * 4 + 256 * m * 256 * 4 + 256 * d * 4) / 1e9
print(f"  faiss IVF256,PQ{m}: train {train:.1f} s, add {add:.1f} s, about {memory:.2f} GB (codes, int64 ids, centroids, precomputed table)", flush=True)
for nprobe in (16, 32, 64, 128):
    ivf.nprobe = nprobe
    ivf.search(queries, 10)
    start = time.perf_counter()
    _, found = ivf.search(queries, 10)
    seconds = time.perf_counter() - start
    recall = np.mean([len(set(found[i]) & set(truth[i])) / 10 for i in range(len(queries))])
    print(f"  faiss nprobe {nprobe}: recall@10 {recall:.3f}, {len(queries) / seconds:,.0f} q/s", flush=True)
