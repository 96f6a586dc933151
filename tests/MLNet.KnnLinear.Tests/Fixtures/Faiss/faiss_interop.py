#!/usr/bin/python3
"""faiss side of FaissInteropTests (Debian's python3-faiss 1.7.3; the library never needs Python).

    faiss_interop.py search DIR   read every DIR/*.faiss that MLNet.KnnLinear wrote, search DIR/queries.f32
                                   (float32, row-major, d from the index) for k = int(DIR/k.txt) and write
                                   DIR/<name>.ids (int64) and DIR/<name>.dist (float32)
    faiss_interop.py build DIR    from DIR/rows.f32 and DIR/queries.f32 (d = int(DIR/d.txt)) build with faiss
                                   flat_l2, flat_l1, flat_ip (unit rows), ivf_l2 (nlist 8, nprobe 3) and
                                   ivf_ip (unit rows, nlist 8, nprobe 3), hnsw_l2 (M 8, efConstruction 40,
                                   efSearch 32), and with ids 10^12 + 7 i (add_with_ids): idmap2_flat_l2
                                   (IndexIDMap2 of IndexFlatL2), idmap_ivf_l2 (IndexIDMap of an IVF as above),
                                   idmap_hnsw_l2 (IndexIDMap of an HNSW graph as above); 8-bit scalar
                                   quantized: sq_flat_l2, sq_flat_ip (unit rows), sq_ivf_l2 (nlist 8, nprobe 3,
                                   by residual, faiss' default), sq_ivf_ip (unit rows, by_residual False),
                                   sq_hnsw_l2 (IndexHNSWSQ, M 8, efConstruction 40, efSearch 32), and
                                   idmap_sq_ivf_l2 (IndexIDMap of sq_ivf_l2's kind); product-quantized (M 4,
                                   8 bits): pq_flat_l2, pq_flat_ip (unit rows), pq_ivf_l2 (nlist 8, nprobe 3,
                                   by residual), pq_ivf_ip (unit rows) and idmap_pq_ivf_l2; re-ranked
                                   (IndexRefineFlat, k_factor 4): pq_rf_ivf_l2 (around pq_ivf_l2's kind),
                                   sq_rf_flat_ip (around sq_flat_ip's kind) and idmap_pq_rf_ivf_l2; write each as
                                   DIR/faiss_<name>.faiss and its k-NN results as DIR/faiss_<name>.ids / .dist
"""
import glob
import os
import sys

import faiss
import numpy as np

faiss.omp_set_num_threads(1)
mode, folder = sys.argv[1], sys.argv[2]
k = int(open(os.path.join(folder, "k.txt")).read())


def save(name, index, queries):
    distances, ids = index.search(queries, k)
    ids.astype(np.int64).tofile(os.path.join(folder, name + ".ids"))
    distances.astype(np.float32).tofile(os.path.join(folder, name + ".dist"))


if mode == "search":
    for path in sorted(glob.glob(os.path.join(folder, "*.faiss"))):
        index = faiss.read_index(path)
        queries = np.fromfile(os.path.join(folder, "queries.f32"), dtype=np.float32).reshape(-1, index.d)
        name = os.path.splitext(os.path.basename(path))[0]
        if name.endswith("cosine"):
            queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
        save(name, index, queries)
        print(name, type(index).__name__, index.ntotal)
else:
    d = int(open(os.path.join(folder, "d.txt")).read())
    rows = np.fromfile(os.path.join(folder, "rows.f32"), dtype=np.float32).reshape(-1, d)
    queries = np.fromfile(os.path.join(folder, "queries.f32"), dtype=np.float32).reshape(-1, d)
    unit_rows = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    unit_queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    indexes = {}
    indexes["flat_l2"] = (faiss.IndexFlatL2(d), rows, queries)
    indexes["flat_l1"] = (faiss.IndexFlat(d, faiss.METRIC_L1), rows, queries)
    indexes["flat_ip"] = (faiss.IndexFlatIP(d), unit_rows, unit_queries)
    for name, metric, data, q in [("ivf_l2", faiss.METRIC_L2, rows, queries), ("ivf_ip", faiss.METRIC_INNER_PRODUCT, unit_rows, unit_queries)]:
        quantizer = faiss.IndexFlatL2(d) if metric == faiss.METRIC_L2 else faiss.IndexFlatIP(d)
        ivf = faiss.IndexIVFFlat(quantizer, d, 8, metric)
        ivf.train(data)
        ivf.nprobe = 3
        ivf.own_fields = True
        quantizer.this.disown()
        indexes[name] = (ivf, data, q)
    for name, metric, data, q in [("sq_flat_l2", faiss.METRIC_L2, rows, queries), ("sq_flat_ip", faiss.METRIC_INNER_PRODUCT, unit_rows, unit_queries)]:
        sq = faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit, metric)
        sq.train(data)
        indexes[name] = (sq, data, q)
    for name, metric, data, q in [("sq_ivf_l2", faiss.METRIC_L2, rows, queries), ("sq_ivf_ip", faiss.METRIC_INNER_PRODUCT, unit_rows, unit_queries)]:
        quantizer = faiss.IndexFlatL2(d) if metric == faiss.METRIC_L2 else faiss.IndexFlatIP(d)
        ivf = faiss.IndexIVFScalarQuantizer(quantizer, d, 8, faiss.ScalarQuantizer.QT_8bit, metric, metric == faiss.METRIC_L2)
        ivf.train(data)
        ivf.nprobe = 3
        ivf.own_fields = True
        quantizer.this.disown()
        indexes[name] = (ivf, data, q)
    for name, metric, data, q in [("pq_flat_l2", faiss.METRIC_L2, rows, queries), ("pq_flat_ip", faiss.METRIC_INNER_PRODUCT, unit_rows, unit_queries)]:
        pq = faiss.IndexPQ(d, 4, 8, metric)
        pq.train(data)
        indexes[name] = (pq, data, q)
    for name, metric, data, q in [("pq_ivf_l2", faiss.METRIC_L2, rows, queries), ("pq_ivf_ip", faiss.METRIC_INNER_PRODUCT, unit_rows, unit_queries)]:
        quantizer = faiss.IndexFlatL2(d) if metric == faiss.METRIC_L2 else faiss.IndexFlatIP(d)
        ivf = faiss.IndexIVFPQ(quantizer, d, 8, 4, 8, metric)
        ivf.train(data)
        ivf.nprobe = 3
        ivf.own_fields = True
        quantizer.this.disown()
        indexes[name] = (ivf, data, q)
    kept_alive = []  # IndexRefineFlat does not own its base: the Python objects must outlive it
    for name, metric, data, q in [("pq_rf_ivf_l2", faiss.METRIC_L2, rows, queries), ("sq_rf_flat_ip", faiss.METRIC_INNER_PRODUCT, unit_rows, unit_queries)]:
        if name.startswith("pq"):
            quantizer = faiss.IndexFlatL2(d)
            base = faiss.IndexIVFPQ(quantizer, d, 8, 4, 8, metric)
            base.nprobe = 3
            kept_alive.append(quantizer)
        else:
            base = faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit, metric)
        refined = faiss.IndexRefineFlat(base)
        refined.k_factor = 4
        refined.train(data)
        kept_alive.append(base)
        indexes[name] = (refined, data, q)
    sq_hnsw = faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_8bit, 8)
    sq_hnsw.hnsw.efConstruction = 40
    sq_hnsw.hnsw.efSearch = 32
    sq_hnsw.train(rows)
    indexes["sq_hnsw_l2"] = (sq_hnsw, rows, queries)
    hnsw = faiss.IndexHNSWFlat(d, 8)
    hnsw.hnsw.efConstruction = 40
    hnsw.hnsw.efSearch = 32
    indexes["hnsw_l2"] = (hnsw, rows, queries)
    ids = (10**12 + 7 * np.arange(rows.shape[0])).astype(np.int64)
    mapped = {}
    mapped["idmap2_flat_l2"] = faiss.IndexIDMap2(faiss.IndexFlatL2(d))
    ivf_quantizer = faiss.IndexFlatL2(d)
    ivf_inner = faiss.IndexIVFFlat(ivf_quantizer, d, 8, faiss.METRIC_L2)
    ivf_inner.train(rows)
    ivf_inner.nprobe = 3
    mapped["idmap_ivf_l2"] = faiss.IndexIDMap(ivf_inner)
    hnsw_inner = faiss.IndexHNSWFlat(d, 8)
    hnsw_inner.hnsw.efConstruction = 40
    hnsw_inner.hnsw.efSearch = 32
    mapped["idmap_hnsw_l2"] = faiss.IndexIDMap(hnsw_inner)
    sq_quantizer = faiss.IndexFlatL2(d)
    sq_inner = faiss.IndexIVFScalarQuantizer(sq_quantizer, d, 8, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_L2)
    sq_inner.train(rows)
    sq_inner.nprobe = 3
    mapped["idmap_sq_ivf_l2"] = faiss.IndexIDMap(sq_inner)
    pq_quantizer = faiss.IndexFlatL2(d)
    pq_inner = faiss.IndexIVFPQ(pq_quantizer, d, 8, 4, 8)
    pq_inner.train(rows)
    pq_inner.nprobe = 3
    mapped["idmap_pq_ivf_l2"] = faiss.IndexIDMap(pq_inner)
    rf_quantizer = faiss.IndexFlatL2(d)
    rf_base = faiss.IndexIVFPQ(rf_quantizer, d, 8, 4, 8)
    rf_base.nprobe = 3
    rf_inner = faiss.IndexRefineFlat(rf_base)
    rf_inner.k_factor = 4
    rf_inner.train(rows)
    kept_alive.extend([rf_quantizer, rf_base, rf_inner])
    mapped["idmap_pq_rf_ivf_l2"] = faiss.IndexIDMap(rf_inner)
    for name, (index, data, q) in indexes.items():
        index.add(data)
        faiss.write_index(index, os.path.join(folder, "faiss_" + name + ".faiss"))
        save("faiss_" + name, index, q)
        print(name, index.ntotal)
    for name, index in mapped.items():
        index.add_with_ids(rows, ids)
        faiss.write_index(index, os.path.join(folder, "faiss_" + name + ".faiss"))
        save("faiss_" + name, index, queries)
        print(name, index.ntotal)
