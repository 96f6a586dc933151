#!/usr/bin/python3
r"""Makes color_histogram_reference.json: the CS231n HSV colour histogram (hue, and the same formula on the
saturation and value channels) on deterministic images, the reference the C# colour-histogram featurizer is
tested against. Python is only needed to regenerate the fixture.

    /usr/bin/python3 tests/MLNet.KnnLinear.Tests/Fixtures/Hog/make_color_histogram_reference.py \
        /work/shared/data/cifar-10-batches-bin > tests/MLNet.KnnLinear.Tests/Fixtures/Hog/color_histogram_reference.json

Debian bookworm packages: matplotlib 3.6.3, numpy 1.24.2 (takes ~1 minute: it scans all 2^24 RGB colours
for the bin-edge cases).

JSON: {generator, versions, notes, cases: [{name, height, width, pixels, channel, bins, expected, counts
[, pixelBins]}]}. pixels: uint8 H x W x 3, row-major, interleaved R, G, B. expected: the function's output
(float64, full precision; the fraction of the pixels in each bin). counts: the integer pixel count per bin
(expected * height * width). pixelBins (edge cases only): the bin of every pixel, row-major.

What the function computes, exactly (matplotlib 3.6.3 colors.rgb_to_hsv, numpy 1.24 linspace/histogram):
  1. a = im / 255 (float64, per channel: r, g, b).
  2. mx = max(r, g, b); delta = mx - min(r, g, b)   (of the float64 values in 1.)
     S = delta / mx if mx > 0 else 0;  V = mx
     H = 0 if delta == 0 (gray pixels, including black and white: hue 0 -> the first bin); otherwise the LAST
     matching of these assignments wins (blue over green over red when two channels share the maximum):
         r == mx: H = (g - b) / delta;   g == mx: H = 2.0 + (b - r) / delta;   b == mx: H = 4.0 + (r - g) / delta
     H = (H / 6.0) % 1.0   (numpy remainder: fmod, then + 1.0 if the result is negative)
  3. channel value = H * 255 (or S * 255, V * 255), float64. (V * 255 == the integer max exactly for all
     0..255, but H * 255 and S * 255 are often a few ulps off the mathematically exact value.)
  4. edges[i] = i * (255.0 / bins) for i < bins, edges[bins] = 255.0 (np.linspace); a value v goes to bin i
     iff edges[i] <= v < edges[i+1], the last bin also takes v == 255 (np.histogram).
  5. result[i] = counts[i] / N  (density=True then times the bin width; equal to counts/N up to ~1 ulp).
The order of the float64 operations matters: on the 2^24 RGB colours, with 10 bins, 49,500 colours land EXACTLY
on a hue bin edge and 34,548 land within 1e-9 of one without being on it (e.g. RGB (0, 5, 2): mathematically
hue 0.4 -> 102 = edge of bin 4, but the float64 steps give 101.99999999999999 -> bin 3). The "*_edges_*"
cases hold such colours; an implementation that computes hue with other formulas (degrees, integer
arithmetic, float32, a different operation order) fails them.
"""
import json
import sys

import matplotlib
import matplotlib.colors
import numpy as np

SEED = 20240612
data_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/cifar-10-batches-bin"
rng = np.random.default_rng(SEED)


# CS231n (assignment 1, features.py), verbatim apart from the channel argument of the generalised version below
def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
  bins = np.linspace(xmin, xmax, nbin+1)
  hsv = matplotlib.colors.rgb_to_hsv(im/xmax) * xmax
  imhist, bin_edges = np.histogram(hsv[:,:,0], bins=bins, density=normalized)
  imhist = imhist * np.diff(bin_edges)
  return imhist


def color_histogram_hsv_channel(im, channel, nbin=10, xmin=0, xmax=255, normalized=True):
    """The same formula on hsv[:, :, channel] (0 = hue, 1 = saturation, 2 = value)."""
    bins = np.linspace(xmin, xmax, nbin + 1)
    hsv = matplotlib.colors.rgb_to_hsv(im / xmax) * xmax
    imhist, bin_edges = np.histogram(hsv[:, :, channel], bins=bins, density=normalized)
    imhist = imhist * np.diff(bin_edges)
    return imhist


CHANNELS = {"Hue": 0, "Saturation": 1, "Value": 2}

_records = np.fromfile(f"{data_dir}/test_batch.bin", dtype=np.uint8).reshape(-1, 3073)


def cifar(k):
    return np.ascontiguousarray(_records[k, 1:].reshape(3, 32, 32).transpose(1, 2, 0))


def noise(h, w):
    return rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)


def gray_mixed(h, w):
    """Two thirds gray pixels (R = G = B, including 0 and 255), the rest random colours."""
    img = noise(h, w)
    v = rng.integers(0, 256, size=(h, w), dtype=np.uint8)
    v.ravel()[:2] = (0, 255)
    gray = rng.random((h, w)) < 2 / 3
    gray.ravel()[:2] = True
    img[gray] = np.repeat(v[gray][:, None], 3, axis=1)
    return img


def primaries():
    """Pure primaries and secondaries at several intensities, plus white, black and grays: 8 x 8."""
    cols = []
    for level in (255, 200, 128, 1):
        for rgb in ((1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (0, 1, 1), (1, 0, 1)):
            cols.append(tuple(level * c for c in rgb))
    cols += [(255, 255, 255), (0, 0, 0), (128, 128, 128), (1, 1, 1),
             (255, 128, 0), (128, 255, 0), (0, 255, 128), (0, 128, 255), (128, 0, 255), (255, 0, 128),
             (255, 1, 0), (255, 0, 1), (1, 255, 0), (0, 255, 1), (1, 0, 255), (0, 1, 255)]
    cols += [(255, 254, 254), (254, 255, 255), (3, 2, 2), (2, 3, 3), (10, 20, 30), (30, 20, 10),
             (200, 100, 50), (50, 100, 200), (17, 17, 16), (16, 17, 17), (100, 100, 101), (101, 100, 100),
             (64, 64, 0), (0, 64, 64), (64, 0, 64), (51, 102, 153), (153, 102, 51), (204, 255, 51),
             (12, 34, 56), (250, 5, 5), (255, 127, 127), (127, 255, 127), (127, 127, 255),
             (255, 255, 128)]
    assert len(cols) == 64
    return np.array(cols, dtype=np.uint8).reshape(8, 8, 3)


def find_edge_colours():
    """All RGB colours whose H/S/V * 255 is exactly on, or within 1e-9 of (but not on), an inner bin edge."""
    g, b = np.meshgrid(np.arange(256), np.arange(256), indexing="ij")
    g, b = g.ravel(), b.ravel()
    found = {}
    for r in range(256):
        im = np.stack([np.full_like(g, r), g, b], -1).astype(np.uint8).reshape(256, 256, 3)
        hsv = (matplotlib.colors.rgb_to_hsv(im / 255) * 255).reshape(-1, 3)
        for name, ch in CHANNELS.items():
            v = hsv[:, ch]
            for nb in (7, 10, 16):
                inner = np.linspace(0, 255, nb + 1)[1:-1]
                d = v[:, None] - inner[None, :]
                exact = np.nonzero((d == 0).any(1))[0]
                near = np.nonzero(((np.abs(d) < 1e-9) & (d != 0)).any(1))[0]
                ex, nr = found.setdefault((name, nb), ([], []))
                ex.extend((r, int(g[i]), int(b[i])) for i in exact)
                nr.extend((r, int(g[i]), int(b[i])) for i in near)
    return found


def edge_image(found, channel, nb, per_kind=48, width=12):
    ex, nr = found[(channel, nb)]
    pick = []
    for lst in (ex, nr):
        if lst:
            idx = rng.choice(len(lst), size=min(per_kind, len(lst)), replace=False)
            pick.extend(lst[i] for i in sorted(idx))
    # a few ordinary colours so that the image is never empty and holds both kinds of pixels
    pick.extend(tuple(int(v) for v in c) for c in rng.integers(0, 256, size=(width - len(pick) % width, 3)))
    return np.array(pick, dtype=np.uint8).reshape(-1, width, 3), len(ex), len(nr)


def pixel_bins(img, channel, nb):
    """The bin np.histogram puts each pixel in (histogram of each pixel alone)."""
    hsv = matplotlib.colors.rgb_to_hsv(img / 255) * 255
    edges = np.linspace(0, 255, nb + 1)
    return [int(np.argmax(np.histogram([v], bins=edges)[0])) for v in hsv[:, :, CHANNELS[channel]].ravel()]


def described_bin(r, g, b, channel, nb):
    """Steps 1-4 of the docstring in plain Python floats (IEEE float64), one pixel: checks the description."""
    r, g, b = r / 255, g / 255, b / 255
    mx = max(r, g, b)
    delta = mx - min(r, g, b)
    if channel == "Value":
        v = mx
    elif channel == "Saturation":
        v = delta / mx if mx > 0 else 0.0
    else:
        h = 0.0
        if delta > 0:
            if r == mx:
                h = (g - b) / delta
            if g == mx:
                h = 2.0 + (b - r) / delta
            if b == mx:
                h = 4.0 + (r - g) / delta
        v = (h / 6.0) % 1.0
    v *= 255
    edges = [i * (255.0 / nb) for i in range(nb)] + [255.0]
    for i in range(nb):
        if edges[i] <= v < edges[i + 1] or (i == nb - 1 and v == 255.0):
            return i
    raise AssertionError((r, g, b, v))


def main():
    found = find_edge_colours()
    stats = {f"{c}/{nb}": {"exactlyOnInnerEdge": len(found[(c, nb)][0]), "within1e-9NotOn": len(found[(c, nb)][1])}
             for (c, nb) in sorted(found)}
    cases = []

    def add(name, img, channel, bins, with_pixel_bins=False):
        expected = color_histogram_hsv_channel(img, CHANNELS[channel], nbin=bins)
        if channel == "Hue":
            assert np.array_equal(expected, color_histogram_hsv(img, nbin=bins))
        n = img.shape[0] * img.shape[1]
        counts = np.rint(expected * n).astype(int)
        assert counts.sum() == n and np.allclose(expected * n, counts, rtol=0, atol=1e-9), name
        case = {"name": name, "height": int(img.shape[0]), "width": int(img.shape[1]),
                "pixels": [int(v) for v in img.ravel()], "channel": channel, "bins": bins,
                "expected": [float(v) for v in expected], "counts": [int(v) for v in counts]}
        described = [described_bin(int(p[0]), int(p[1]), int(p[2]), channel, bins) for p in img.reshape(-1, 3)]
        assert np.array_equal(np.bincount(described, minlength=bins), counts), name
        if with_pixel_bins:
            pb = pixel_bins(img, channel, bins)
            assert pb == described, name
            assert np.array_equal(np.bincount(pb, minlength=bins), counts), name
            case["pixelBins"] = pb
        cases.append(case)

    add("random32_hue_b10", noise(32, 32), "Hue", 10)
    add("random17x23_hue_b7", noise(17, 23), "Hue", 7)
    add("random8x8_hue_b16", noise(8, 8), "Hue", 16)
    add("random5x3_hue_b10", noise(5, 3), "Hue", 10, True)
    for k in range(4):
        add(f"cifar{k}_hue_b10", cifar(k), "Hue", 10)
    add("cifar4_hue_b16", cifar(4), "Hue", 16)
    add("cifar5_hue_b7", cifar(5), "Hue", 7)
    add("graymixed16_hue_b10", gray_mixed(16, 16), "Hue", 10, True)
    add("graymixed16_saturation_b10", gray_mixed(16, 16), "Saturation", 10, True)
    for nb in (10, 7, 16):
        add(f"primaries8_hue_b{nb}", primaries(), "Hue", nb, True)
    add("primaries8_saturation_b10", primaries(), "Saturation", 10, True)
    add("primaries8_value_b16", primaries(), "Value", 16, True)
    for channel, nbs in (("Hue", (10, 7, 16)), ("Saturation", (10, 7, 16)), ("Value", (10,))):
        for nb in nbs:
            img, n_ex, n_nr = edge_image(found, channel, nb)
            add(f"{channel.lower()}_edges_b{nb}", img, channel, nb, True)
    add("random32_saturation_b10", noise(32, 32), "Saturation", 10)
    add("cifar6_saturation_b10", cifar(6), "Saturation", 10)
    add("cifar7_saturation_b16", cifar(7), "Saturation", 16)
    add("random32_value_b10", noise(32, 32), "Value", 10)
    add("cifar8_value_b7", cifar(8), "Value", 7)
    add("cifar9_value_b10", cifar(9), "Value", 10)

    out = {
        "generator": "/usr/bin/python3 tests/MLNet.KnnLinear.Tests/Fixtures/Hog/make_color_histogram_reference.py "
                     "/work/shared/data/cifar-10-batches-bin > "
                     "tests/MLNet.KnnLinear.Tests/Fixtures/Hog/color_histogram_reference.json",
        "versions": {"matplotlib": matplotlib.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "notes": [
            "color_histogram_hsv (CS231n) with xmin=0, xmax=255, normalized=True; Saturation/Value: the same on hsv[:,:,1]/hsv[:,:,2]",
            "pixels: uint8 row-major H x W x 3, R,G,B; cifarK = record K of test_batch.bin",
            "expected = counts / (height*width) up to 1 ulp; pixelBins = bin of each pixel (edge cases)",
            "see the docstring of make_color_histogram_reference.py for the exact float64 operation order",
        ],
        "edgeColourCounts": stats,
        "cases": cases,
    }
    text = json.dumps(out, separators=(",", ":"))
    text = text.replace(',"cases":[{', ',\n"cases":[\n{').replace('},{"name"', '},\n{"name"')
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
