#!/usr/bin/python3
"""faiss' side of ExactBytesRun.cs: IndexFlatL2 over the same rows and queries (float32 files written by the C# run),
k = 1, all cores: add time, the first search and the best of 3. Debian's python3-faiss 1.7.3 with
libopenblas0-pthread (the reference BLAS is about 20x slower).

    /usr/bin/python3 exact_l2_reference.py rows.f32 queries.f32 dimension
"""
import sys
import time

import faiss
import numpy as np

rows_file, queries_file, d = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = np.fromfile(rows_file, dtype=np.float32).reshape(-1, d)
queries = np.fromfile(queries_file, dtype=np.float32).reshape(-1, d)
start = time.perf_counter()
index = faiss.IndexFlatL2(d)
index.add(rows)
add = time.perf_counter() - start
start = time.perf_counter()
index.search(queries, 1)
cold = time.perf_counter() - start
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    index.search(queries, 1)
    best = min(best, time.perf_counter() - start)
print(f"faiss {faiss.__version__} IndexFlatL2 (omp threads {faiss.omp_get_max_threads()}): add {add:.2f} s, "
      f"search first {cold:.3f} s, warm {best:.3f} s (best of 3), {rows.nbytes / 1e6:,.0f} MB", flush=True)
