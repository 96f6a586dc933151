#!/usr/bin/python3
"""faiss' side of the approximate-search comparison (AnnRecallRun.cs): the same CIFAR-derived rows built with numpy
(see AnnData.cs: 8 shifts with edge pixels repeated x 2 flips of each training image, image-major; set B 4x4 average
pooled), the 1,017 test images as queries, k = 10, L2. faiss 1.7.3 (Debian's python3-faiss with
libopenblas0-pthread), all cores: IndexFlatL2, then IndexIVFFlat(nlist) trained with faiss' defaults; build time,
memory, recall@10 and batch queries per second over an nprobe sweep, and the smallest nprobe reaching each target.

With the fourth argument `sq8` (AnnRecallRun's `ann-sq8`): IndexScalarQuantizer and IndexIVFScalarQuantizer(nlist)
with QT_8bit (by residual, faiss' default), and on set B IndexHNSWSQ (M 32, efConstruction 64), instead of
IndexIVFFlat and HNSW; memory is the codes, ids and centroids.

With `pq` (AnnRecallRun's `ann-pq`): IndexIVFPQ(nlist, m, 8 bits), by residual with faiss' precomputed tables; memory is
the codes, ids, centroids and the precomputed table. A sixth argument wraps it in IndexRefineFlat with that k_factor.

    /usr/bin/python3 tests/MLNet.KnnLinear.Benchmarks/reference/ann_reference.py [A|B] [nlist] [data dir] [flat|sq8|pq] [m] [k_factor]
"""
import os
import sys
import time

import faiss
import numpy as np

import ann_data

SWEEP = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256]
TARGETS = [0.90, 0.95, 0.99]

set_name = sys.argv[1].upper() if len(sys.argv) > 1 else "B"
nlist = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
data_dir = sys.argv[3] if len(sys.argv) > 3 else "../shared/data/cifar-10-batches-bin"
encoding = sys.argv[4] if len(sys.argv) > 4 else "flat"
subquantizers = int(sys.argv[5]) if len(sys.argv) > 5 else 96
refine = float(sys.argv[6]) if len(sys.argv) > 6 else None

rows, queries = ann_data.cifar_rows(data_dir, pooled=set_name == "B")
d = rows.shape[1]
k = 10
print(f"  faiss {faiss.__version__}, {faiss.omp_get_max_threads()} threads; {rows.shape[0]:,} rows x {d}", flush=True)

flat = faiss.IndexFlatL2(d)
flat.add(rows)
start = time.perf_counter()
_, truth = flat.search(queries, k)
print(f"  faiss exact: {len(queries) / (time.perf_counter() - start):,.0f} q/s", flush=True)


def sweep(index, name, size_name, sizes, set_size):
    """Recall@10 and batch q/s per search size until recall 0.995, then the smallest size reaching each target."""
    results = []
    for size in sizes:
        set_size(size)
        index.search(queries, k)
        repeats, start = 0, time.perf_counter()
        while True:
            _, found = index.search(queries, k)
            repeats += 1
            if time.perf_counter() - start >= 1.0:
                break
        qps = len(queries) * repeats / (time.perf_counter() - start)
        recall = np.mean([len(set(found[i]) & set(truth[i])) / k for i in range(len(queries))])
        results.append((size, recall, qps))
        print(f"    {size_name} {size:3d}: recall@10 {recall:.3f}, {qps:,.0f} q/s", flush=True)
        if recall >= 0.995:
            break
    for target in TARGETS:
        hit = next((r for r in results if r[1] >= target), None)
        print(f"  faiss {name} at recall >= {target:.2f}: " + (f"{size_name} {hit[0]}, {hit[2]:,.0f} q/s (recall {hit[1]:.3f})" if hit else "not reached"), flush=True)
    print(f"  faiss {name}: best recall@10 {max(r[1] for r in results):.3f}", flush=True)


if encoding == "pq":
    start = time.perf_counter()
    quantizer = faiss.IndexFlatL2(d)
    ivf = faiss.IndexIVFPQ(quantizer, d, nlist, subquantizers, 8)
    index, name = ivf, f"IVF{nlist},PQ{subquantizers}"
    if refine is not None:
        # IndexRefineFlat around the codes: the rows kept as float32, k_factor as ours.
        index = faiss.IndexRefineFlat(ivf)
        index.k_factor = refine
        name += f",RFlat x{refine:g}"
    index.train(rows)
    index.add(rows)
    build = time.perf_counter() - start
    memory = (rows.shape[0] * (subquantizers + 8) + nlist * d * 4 + nlist * subquantizers * 256 * 4 + 256 * d * 4 + (rows.nbytes if refine is not None else 0)) / 1e6
    print(f"  faiss {name}: build {build:.1f} s, about {memory:,.0f} MB (codes, int64 ids, centroids, precomputed table {ivf.use_precomputed_table}{', float32 rows' if refine is not None else ''})", flush=True)
    sweep(index, name, "nprobe", [p for p in SWEEP if p <= nlist], lambda p: setattr(ivf, "nprobe", p))
    sys.exit(0)
if encoding == "sq8" and d <= 1024:
    # The exact index of codes on set B only: on 3,072 pixels faiss scans codes one query at a time (minutes).
    start = time.perf_counter()
    sq = faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit)
    sq.train(rows)
    sq.add(rows)
    print(f"  faiss exact SQ8: build {time.perf_counter() - start:.1f} s, about {(rows.shape[0] * d + 8 * d) / 1e6:,.0f} MB (codes, ranges)", flush=True)
    sweep(sq, "exact SQ8", "-", [0], lambda _: None)
    del sq
if encoding == "sq8":
    start = time.perf_counter()
    quantizer = faiss.IndexFlatL2(d)
    ivf = faiss.IndexIVFScalarQuantizer(quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit)
    ivf.train(rows)
    ivf.add(rows)
    build = time.perf_counter() - start
    memory = (rows.shape[0] * (d + 8) + nlist * d * 4) / 1e6
    print(f"  faiss IVF{nlist},SQ8: build {build:.1f} s, about {memory:,.0f} MB (codes, int64 ids, centroids)", flush=True)
    sweep(ivf, f"IVF{nlist},SQ8", "nprobe", [p for p in SWEEP if p <= nlist], lambda p: setattr(ivf, "nprobe", p))
    del ivf, quantizer
    if d <= 1024:
        start = time.perf_counter()
        hnsw = faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_8bit, 32)
        hnsw.hnsw.efConstruction = 64
        hnsw.train(rows)
        hnsw.add(rows)
        print(f"  faiss HNSW32,SQ8 (efConstruction 64): build {time.perf_counter() - start:.1f} s", flush=True)
        sweep(hnsw, "HNSW32,SQ8", "efSearch", [16, 32, 64, 128, 256, 512], lambda ef: setattr(hnsw.hnsw, "efSearch", ef))
    sys.exit(0)

start = time.perf_counter()
quantizer = faiss.IndexFlatL2(d)
ivf = faiss.IndexIVFFlat(quantizer, d, nlist)
ivf.train(rows)
ivf.add(rows)
build = time.perf_counter() - start
memory = (rows.nbytes + rows.shape[0] * 8 + nlist * d * 4) / 1e6
print(f"  faiss IVF{nlist}: build {build:.1f} s, about {memory:,.0f} MB (float32 lists, int64 ids, centroids)", flush=True)
sweep(ivf, f"IVF{nlist}", "nprobe", [p for p in SWEEP if p <= nlist], lambda p: setattr(ivf, "nprobe", p))
del ivf, quantizer

if os.environ.get("ANN_SKIP_HNSW") != "1":
    start = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(d, 32)
    hnsw.hnsw.efConstruction = 64
    hnsw.add(rows)
    print(f"  faiss HNSW32 (efConstruction 64): build {time.perf_counter() - start:.1f} s", flush=True)
    sweep(hnsw, "HNSW32", "efSearch", [16, 32, 64, 128, 256, 512], lambda ef: setattr(hnsw.hnsw, "efSearch", ef))
