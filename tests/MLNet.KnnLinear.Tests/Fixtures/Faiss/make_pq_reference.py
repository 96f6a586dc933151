#!/usr/bin/python3
"""Known answers for product quantization (8-bit codes), made by faiss 1.7.3 (Debian's python3-faiss):

    /usr/bin/python3 make_pq_reference.py > pq_reference.json

faiss.IndexPQ(d = 12, M = 4, nbits = 8, METRIC_L2) is trained on `train` (seeded clustered rows, 2,000); `encode`
rows are encoded with sa_encode and decoded with sa_decode, then added, and `queries` are searched (k = 5, faiss' ADC
distance tables). The JSON holds the trained centroids (faiss' layout: sub-space, centroid, value), each row's code
and decoded floats, and the neighbours (ids, squared distances). An inner-product IndexPQ over unit rows with the
same centroids gives `ipNeighbors` / `ipSimilarities` for unit queries.
"""
import json

import faiss
import numpy as np

rng = np.random.default_rng(20261208)
d, m = 12, 4
centres = rng.random((30, d)) * 100
train = (centres[rng.integers(0, 30, 2000)] + rng.normal(0, 6, (2000, d))).astype(np.float32)
encode = (centres[rng.integers(0, 30, 300)] + rng.normal(0, 6, (300, d))).astype(np.float32)
queries = (centres[rng.integers(0, 30, 12)] + rng.normal(0, 6, (12, d))).astype(np.float32)

index = faiss.IndexPQ(d, m, 8, faiss.METRIC_L2)
index.train(train)
codes = index.sa_encode(encode)
decoded = index.sa_decode(codes)
index.add(encode)
distances, ids = index.search(queries, 5)
centroids = faiss.vector_to_array(index.pq.centroids)

unit_encode = encode / np.linalg.norm(encode, axis=1, keepdims=True)
unit_queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
ip = faiss.IndexPQ(d, m, 8, faiss.METRIC_INNER_PRODUCT)
ip.train(unit_encode)
ip_codes = ip.sa_encode(unit_encode)
ip.add(unit_encode)
ip_similarities, ip_ids = ip.search(unit_queries, 5)
print(json.dumps({
    "faiss": faiss.__version__,
    "dimension": d,
    "subquantizers": m,
    "centroids": centroids.tolist(),
    "encode": encode.tolist(),
    "codes": codes.astype(int).tolist(),
    "decoded": decoded.tolist(),
    "queries": queries.tolist(),
    "neighbors": ids.tolist(),
    "squaredDistances": distances.tolist(),
    "ipCentroids": faiss.vector_to_array(ip.pq.centroids).tolist(),
    "ipCodes": ip_codes.astype(int).tolist(),
    "ipNeighbors": ip_ids.tolist(),
    "ipSimilarities": ip_similarities.tolist(),
}))
