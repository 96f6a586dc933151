#!/usr/bin/python3
"""Known answers for 8-bit scalar quantization, made by faiss 1.7.3 (Debian's python3-faiss):

    /usr/bin/python3 make_sq8_reference.py > sq8_reference.json

faiss.IndexScalarQuantizer(d, QT_8bit, METRIC_L2) is trained on `train` (seeded random rows, one dimension constant,
one spanning negative values); `encode` rows (inside and outside the trained range, and the training extremes) are
encoded with sa_encode and decoded with sa_decode. The JSON holds the trained minima and ranges (faiss' `trained`),
each row's codes and its decoded floats, and the L2 neighbours (squared distances, ids) of `queries` among the encoded
rows as faiss searches them.
"""
import json

import faiss
import numpy as np

rng = np.random.default_rng(20261207)
d = 7
train = (rng.random((64, d)) * 10 - 3).astype(np.float32)
train[:, 2] = 1.25                      # a constant dimension: range 0
train[:, 5] *= 1000                     # a wide one
encode = np.concatenate([
    train[:8],
    train.min(axis=0, keepdims=True),
    train.max(axis=0, keepdims=True),
    (rng.random((6, d)) * 30 - 12).astype(np.float32),   # partly outside the trained range: clamped
]).astype(np.float32)
queries = (rng.random((4, d)) * 10 - 3).astype(np.float32)

index = faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_L2)
index.train(train)
codes = index.sa_encode(encode)
decoded = index.sa_decode(codes)
index.add(encode)
distances, ids = index.search(queries, 5)
trained = faiss.vector_to_array(index.sq.trained)
print(json.dumps({
    "faiss": faiss.__version__,
    "dimension": d,
    "train": train.tolist(),
    "minimum": trained[:d].tolist(),
    "range": trained[d:].tolist(),
    "encode": encode.tolist(),
    "codes": codes.astype(int).tolist(),
    "decoded": decoded.tolist(),
    "queries": queries.tolist(),
    "neighbors": ids.tolist(),
    "squaredDistances": distances.tolist(),
}, indent=1))
