"""The approximate-search benchmark's CIFAR-derived rows, as AnnData.cs builds them: each training image in 8 shifts
(edge pixels repeated) x 2 flips, image-major; set A the 3,072 pixels, set B 4x4 average pooled (192); the test images
as queries. Shared by ann_reference.py and ceiling_pq_reference.py."""
import os

import numpy as np

SHIFTS = [(0, 0), (3, 0), (-3, 0), (0, 3), (0, -3), (2, 2), (-2, -2), (1, -1)]


def read(data_dir, names):
    raw = np.concatenate([np.fromfile(os.path.join(data_dir, n), dtype=np.uint8).reshape(-1, 3073) for n in names])
    return raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32)


def shifted(images, dx, dy, flip):
    x = np.arange(32)
    xs = 31 - x if flip else x
    sx = np.clip(xs - dx, 0, 31)
    sy = np.clip(np.arange(32) - dy, 0, 31)
    return images[:, :, sy][:, :, :, sx]


def emit(images, pooled):
    if pooled:
        return images.reshape(-1, 3, 8, 4, 8, 4).mean(axis=(3, 5), dtype=np.float32).reshape(len(images), -1)
    return images.reshape(len(images), -1)


def cifar_rows(data_dir, pooled):
    """(rows, queries) as float32, row-major."""
    train = read(data_dir, [f"data_batch_{i}.bin" for i in range(1, 6)])
    test = read(data_dir, ["test_batch.bin"])
    variants = [emit(shifted(train, dx, dy, flip), pooled) for (dx, dy) in SHIFTS for flip in (False, True)]
    rows = np.ascontiguousarray(np.stack(variants, axis=1).reshape(len(train) * 16, -1), dtype=np.float32)
    return rows, np.ascontiguousarray(emit(test, pooled), dtype=np.float32)
