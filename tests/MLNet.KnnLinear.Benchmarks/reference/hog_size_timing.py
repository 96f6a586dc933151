#!/usr/bin/python3
"""HoG by image size, one thread, per image: OpenCV's HOGDescriptor and scikit-image's hog on random colour images
of 32x32, 480x640 and 1080x1920 (height x width), the sizes of HogImageSizeBenchmarks. Uses Debian bookworm's
python3-opencv and python3-skimage; the library never needs Python.

    /usr/bin/python3 tests/MLNet.KnnLinear.Benchmarks/reference/hog_size_timing.py [--repeat 5]

Parameters as the benchmark: 8x8 cells, 2x2 blocks, stride one cell, 9 orientations, L2-Hys. OpenCV computes on the
BGR image (strongest channel's gradient, trilinear voting, like our Trilinear mode); scikit-image on the RGB image
with channel_axis=-1 (hard voting, like our Hard mode). Each figure is the minimum over the repeats of the mean time
per image (the machine is shared); images are prepared beforehand, so only the call is timed.
"""
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import time  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import skimage  # noqa: E402
from skimage.feature import hog  # noqa: E402

cv2.setNumThreads(1)
parser = argparse.ArgumentParser()
parser.add_argument("--repeat", type=int, default=5)
args = parser.parse_args()

print(f"OpenCV {cv2.__version__}, scikit-image {skimage.__version__}, numpy {np.__version__}; one thread")
print("| size (h x w) | images | OpenCV HOGDescriptor (ms/image) | scikit-image hog (ms/image) |")
print("|---|---|---|---|")
rng = np.random.default_rng(1)
for height, width in [(32, 32), (480, 640), (1080, 1920)]:
    count = max(2, (1 << 21) // (height * width))
    rgb = [rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8) for _ in range(count)]
    bgr = [np.ascontiguousarray(im[:, :, ::-1]) for im in rgb]
    descriptor = cv2.HOGDescriptor((width, height), (16, 16), (8, 8), (8, 8), 9)
    best = {}
    for _ in range(args.repeat):
        for name, fn, images in [
            ("opencv", lambda im: descriptor.compute(im), bgr),
            ("skimage", lambda im: hog(im, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), channel_axis=-1), rgb),
        ]:
            start = time.perf_counter()
            for im in images:
                fn(im)
            ms = (time.perf_counter() - start) / len(images) * 1e3
            best[name] = min(best.get(name, float("inf")), ms)
    print(f"| {height} x {width} | {count} | {best['opencv']:.4f} | {best['skimage']:.4f} |", flush=True)
