#!/usr/bin/python3
r"""Makes hog_reference.json: HoG descriptors computed by scikit-image and by OpenCV on small deterministic
images, the references the C# HoG featurizer is tested against (tolerance 1e-4). Python is only needed to
regenerate the fixture; the library and its tests never run it.

    /usr/bin/python3 tests/MLNet.KnnLinear.Tests/Fixtures/Hog/make_hog_reference.py \
        /work/shared/data/cifar-10-batches-bin > tests/MLNet.KnnLinear.Tests/Fixtures/Hog/hog_reference.json

Uses Debian bookworm's packages (apt-get install python3-skimage python3-opencv): scikit-image 0.19.3,
OpenCV 4.6.0, numpy 1.24.2. The output is deterministic (numpy Generator seeded with SEED; CIFAR-10 test
images 0..7 of test_batch.bin). Before writing, the script checks every reference against the independent
numpy re-implementations below (`skimage_like_hog`, `opencv_like_hog`) and fails if they differ by more
than 2e-6: so the two descriptions below are verified, not just read.

JSON: {generator, versions, notes, cases: [{name, height, width, channels, pixels, reference, options,
expected}]}. `pixels` are uint8, row-major, interleaved H x W x C, channels in R, G, B order (also for the
OpenCV cases: the script reverses them to B, G, R before calling OpenCV). Floats are rounded to 7
significant digits.

=====================================================================================================
scikit-image 0.19.3, skimage.feature.hog (skimage/feature/_hog.py, _hoghistogram.pyx), as called here
=====================================================================================================
hog(img, orientations, pixels_per_cell=(cellHeight, cellWidth), cells_per_block=(blockHeight, blockWidth),
    block_norm, transform_sqrt, feature_vector=True[, channel_axis=-1])
* uint8 input is converted to float64 WITHOUT rescaling (values 0..255). transform_sqrt: image = sqrt(image).
* Gradient per channel: g_row[r, c] = I[r+1, c] - I[r-1, c] for 1 <= r <= H-2 and 0 on the first and last
  row; g_col likewise along columns (0 on the first and last column). Float64.
* colorMode "MaxGradientChannel" (channel_axis=-1): per pixel the channel with the largest hypot(g_row,
  g_col) is used (numpy argmax: on ties the FIRST channel, i.e. R before G before B).
  colorMode "Grayscale": the reference is hog(skimage.color.rgb2gray(img) * 255, ...) on the RGB image,
  rgb2gray = (img / 255.0) @ [0.2125, 0.7154, 0.0721] (float64), so the input is
  0.2125 R + 0.7154 G + 0.0721 B up to float64 rounding. colorMode "SingleChannel": 2-D uint8 input.
* magnitude = hypot(g_col, g_row); orientation = rad2deg(arctan2(g_row, g_col)) % 180 (degrees, [0, 180)).
* HARD binning, no interpolation at all (neither angular nor spatial): bin i takes the pixels whose
  orientation o satisfies i*180/n <= o < (i+1)*180/n (edges computed in float64 as (180./n)*i).
  So a value exactly on an edge goes to the UPPER bin: with 8 orientations |g_row| == |g_col| gives exactly
  45.0 or 135.0 (bins 2 and 6), a vertical gradient exactly 90.0 (bin 4); with 12 orientations 45 -> bin 3,
  90 -> bin 6, 135 -> bin 9. A horizontal gradient is 0 -> bin 0 (also g_col < 0: arctan2(0, -x) = 180 -> 0).
* Cells tile the image from the top-left: n_cells_row = H // cellHeight, n_cells_col = W // cellWidth; the
  rows/columns beyond the last whole cell are ignored for the histogram (but are still used as the
  neighbours in the central differences). Cell value = (sum of the magnitudes of its pixels in the bin) /
  (cellHeight * cellWidth). NOTE: the sum is accumulated in a C float (float32) variable (`cdef float
  total` in cell_hog), pixels in row-major order, then divided and stored as float64.
* Blocks: n_blocks_row = n_cells_row - blockHeight + 1 (stride one cell), same for columns. Per block (all
  blockHeight x blockWidth x n values, float64), eps = 1e-5:
    L1:      v / (sum|v| + eps)             L1-sqrt: sqrt(v / (sum|v| + eps))
    L2:      v / sqrt(sum v^2 + eps^2)      L2-Hys:  L2, then min(v, 0.2), then L2 again (eps^2 again)
* Output order (feature_vector=True): block row, block column, cell row in block, cell column in block,
  orientation (row-major ravel of (n_blocks_row, n_blocks_col, blockHeight, blockWidth, n)).

=====================================================================================================
OpenCV 4.6.0 HOGDescriptor((32,32), (16,16), (8,8), (8,8), 9).compute(img)  (objdetect/src/hog.cpp)
=====================================================================================================
Line numbers are those of modules/objdetect/src/hog.cpp and modules/core/src/mathfuncs_core.simd.hpp in
the OpenCV 4.6.0 release (Debian's opencv_4.6.0+dfsg.orig.tar.xz; Debian's patches do not touch these files).
This build has CV_SIMD128 (SSE2 baseline), so the SIMD branches are the ones that run; where they differ
from the scalar branches it is said below.

Parameters. The 5-argument constructor leaves derivAperture=1, winSigma=-1, histogramNormType=L2Hys,
L2HysThreshold=0.2, gammaCorrection=FALSE, nlevels=64, signedGradient=false (objdetect.hpp:410-418).
Beware: the no-argument constructor HOGDescriptor() has gammaCorrection=TRUE (objdetect.hpp:390-393);
this fixture's main cases use the 5-argument one (gammaCorrection false); one case sets it to true.
getWinSigma() = winSigma > 0 ? winSigma : (blockSize.width + blockSize.height)/8. = 4 (hog.cpp:104-107).
compute(img) with the default winStride/padding: winStride = cellSize, padding 0 (hog.cpp:1462-1484), so on
a 32x32 image there is exactly one window at (0,0) and the gradient image is the 32x32 image itself.

1. Gamma / value lookup (computeGradient, hog.cpp:260-285): lut[v] = sqrt((float)v) if gammaCorrection
   else (float)v, float32, v = 0..255. All arithmetic below is float32.
2. Gradient kernel and border (hog.cpp:288-299 index maps, 401-409 grey, 447-463 SIMD / 496-510 scalar colour):
   centred difference [-1, 0, 1] without smoothing, per channel:
       dx = lut[I(y, x+1)] - lut[I(y, x-1)],   dy = lut[I(y+1, x)] - lut[I(y-1, x)]   (y grows downwards)
   with out-of-image indices mapped by BORDER_REFLECT_101 (-1 -> 1, W -> W-2). Hence dx = 0 in the first and last
   column and dy = 0 in the first and last row (like scikit-image).
3. Colour images (8UC3, channels in B, G, R memory order; channel 0 = B): per pixel ONE channel's (dx, dy) is
   kept, the one with the largest dx^2 + dy^2 (float32, squared magnitude). Ties:
   - SIMD path (hog.cpp:466-476), used for columns x < W - W % 4 (all 32 columns of a 32-wide image):
       best = (mag2 > mag1) ? ch2 : ch1;  best = (max(mag2, mag1) > mag0) ? best : ch0
     so a channel must be STRICTLY larger to beat a lower-index one: ties go to the LOWEST index,
     B before G before R.
   - scalar tail (hog.cpp:489-521), the last W % 4 columns only: starts from channel 2 (R) and replaces it
     only if strictly larger (`if( mag0 < mag )`), first by channel 1, then channel 0: ties go to R, then G.
   Verified by check_channel_tie_rule() below (HOGDescriptor.computeGradient on 30- to 33-wide images).
   Single-channel (8UC1) images use dx, dy directly (hog.cpp:401-409).
   (scikit-image's MaxGradientChannel picks R on ties, OpenCV on 32-wide images picks B.)
4. Magnitude and angle (hog.cpp:526 cartToPolar(Dx, Dy, Mag, Angle, false)): mag = sqrt(dx*dx + dy*dy)
   (float32); angle = fastAtan32f(dy, dx) in degrees times (float)(CV_PI/180), NOT an exact atan2. The
   polynomial (mathfuncs_core.simd.hpp:34-37 constants, 93-103 SIMD / 50-71 scalar), all float32:
       ax = |dx|, ay = |dy|, c = min(ax, ay) / (max(ax, ay) + (float)DBL_EPSILON), cc = c*c
       a = (((p7*cc + p5)*cc + p3)*cc + p1) * c      (a fused multiply-add chain in the SIMD code)
       p1 = 0.9997878412794807f*(float)(180/CV_PI), p3 = -0.3258083974640975f*(float)(180/CV_PI),
       p5 = 0.1555786518463281f*(float)(180/CV_PI), p7 = -0.04432655554792128f*(float)(180/CV_PI)
       if ax < ay: a = 90 - a;  if dx < 0: a = 180 - a;  if dy < 0: a = 360 - a     -> a in [0, 360)
   Its error is up to ~0.0096 degrees. Using an exact atan2 instead changes the final (normalised)
   descriptor by up to 1.3e-4 on this fixture's OpenCV cases, i.e. MORE than the tolerance 1e-4: an
   implementation matching OpenCV must reproduce this polynomial. For colour images the magnitude and
   angle are those of the winning channel's (dx, dy).
5. Angle binning, interpolation between the two nearest bins (hog.cpp:389, 529-564 SIMD, 566-585 scalar):
   angleScale = (float)(nbins/CV_PI) (unsigned; nbins/(2*pi) if signedGradient);
       t = angle*angleScale - 0.5f;  h0 = floor(t);  f = t - h0
       w0 = mag*(1 - f) -> bin h0,  w1 = mag*f -> bin h0 + 1
   with h0 < 0 -> h0 + nbins, h0 >= nbins -> h0 - nbins, and h0 + 1 == nbins -> 0. Bin k is centred on
   (k + 0.5)*180/nbins degrees (10, 30, ..., 170 for 9 bins); since the angle is in [0, 360) and unsigned,
   t ranges over [-0.5, 2*nbins - 0.5) and the wrap above folds it modulo 180 degrees.
6. Spatial weights within a block (HOGCache::init, hog.cpp:694-742 Gaussian, 774-853 cell weights).
   For pixel (i = row, j = column) of a 16x16 block (0..15):
   - Gaussian window: sigma = 4, scale = 1/(2*sigma^2) = 1/32,
         g(i, j) = exp(-((i - 8)^2 + (j - 8)^2) * scale)       (centred at 8 = blockSize*0.5, NOT at 7.5)
   - bilinear cell weights: cx = (j + 0.5)/8 - 0.5, cy = (i + 0.5)/8 - 0.5; the pixel votes into each cell
     (X, Y) of the block (X, Y in {0, 1}) with weight max(0, 1 - |cx - X|) * max(0, 1 - |cy - Y|); cells
     outside the block get nothing (so at the block border the weights do NOT sum to 1: j = 0 gives 0.5625
     to cell 0 only, j = 4..11 split between cells 0 and 1, j = 15 gives 0.5625 to cell 1 only).
   - each pixel adds w0*g*wx*wy to bin h0 and w1*g*wx*wy to bin h0+1 of cell (X, Y) (getBlock,
     hog.cpp:875-1051; the product is formed as mag_part * (g * (wx*wy)), float32). Together with step 5
     that is the trilinear interpolation. Blocks overlap (stride 8) and each block recomputes its own histogram from the
     gradients with its own Gaussian, so cell histograms are NOT shared between blocks.
7. Block normalisation L2-Hys (normalizeBlockHistogram, hog.cpp:1053-1144), sz = 36 values, float32:
       s1 = sum v^2;  v = min(v * (1/(sqrt(s1) + 0.1*sz)), L2HysThreshold)     (epsilon 0.1*sz = 3.6,
                                                                          added to the NORM, not squared)
       s2 = sum v^2;  v = v * (1/(sqrt(s2) + 1e-3))
   NOTE hog.cpp:1092 `static v_float32x4 _threshold = v_setall_f32(thresh);` is a function-level static:
   the SIMD path (all 36 values, as 36 % 4 == 0) uses the L2HysThreshold of the FIRST descriptor that
   normalised a block in the process; only matters for thresholds other than 0.2.
8. Output order (hog.cpp:790-848 histOfs = (cellX*ncells.height + cellY)*nbins, 865-872 blockData,
   1515-1524 compute): block x (column) outermost, then block y (row), then cell x in block, cell y in
   block, then bin: COLUMN-major over blocks and cells, unlike scikit-image (row-major). Blocks at pixel
   offsets (8*bx, 8*by), bx, by in 0..2: 3*3 blocks * 2*2 cells * 9 bins = 324 values (float32).
"""
import json
import sys

import cv2
import numpy as np
import skimage
from skimage.color import rgb2gray
from skimage.feature import hog

SEED = 20240611
TOLERANCE_CHECK = 2e-6
data_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/cifar-10-batches-bin"
rng = np.random.default_rng(SEED)

# --------------------------------------------------------------------------------------------------
# images (uint8, H x W x 3 in R, G, B order, or H x W)
# --------------------------------------------------------------------------------------------------
_records = np.fromfile(f"{data_dir}/test_batch.bin", dtype=np.uint8).reshape(-1, 3073)


def cifar(k):
    """test_batch record k: 1 label byte + planar R(1024) G(1024) B(1024) -> 32x32x3 (HWC, RGB)."""
    return np.ascontiguousarray(_records[k, 1:].reshape(3, 32, 32).transpose(1, 2, 0))


def cifar_gray(k):
    """uint8 luminance of CIFAR image k by OpenCV's cvtColor(BGR2GRAY): (9798 R + 19235 G + 3735 B + 2^14) >> 15."""
    return cv2.cvtColor(np.ascontiguousarray(cifar(k)[:, :, ::-1]), cv2.COLOR_BGR2GRAY)


def noise(h, w, c=None):
    return rng.integers(0, 256, size=(h, w) if c is None else (h, w, c), dtype=np.uint8)


def _grid(h, w):
    y, x = np.mgrid[0:h, 0:w]
    return y.astype(np.float64), x.astype(np.float64)


def ramps(h, w):
    """Four quadrants of linear ramps: x+y (45 deg), x-y (135 deg), x (0 deg), y (90 deg); |g_row| == |g_col|
    in the first two, which lands exactly on the 45/135 degree bin edges with 8 (or 12) orientations."""
    y, x = _grid(h, w)
    a = max(1, int(120 // (h + w)))
    img = np.where(y < h // 2, np.where(x < w // 2, a * (x + y), a * (x - y) + a * h),
                   np.where(x < w // 2, 3 * a * x, 3 * a * y))
    assert img.min() >= 0 and img.max() <= 255
    return img.astype(np.uint8)


def ramps_tie_rgb(h, w):
    """Colour ramps whose channels have EQUAL gradient magnitudes in different directions (channel ties):
    left half R = a(x+y) (45 deg) and G = a(x-y)+c (135 deg), B flat; right half G = a x, B = a y, R flat."""
    y, x = _grid(h, w)
    a = max(1, int(120 // (h + w)))
    left = x < w // 2
    r = np.where(left, a * (x + y), 60)
    g = np.where(left, a * (x - y) + a * h, 2 * a * x)
    b = np.where(left, 90, 2 * a * y + 10)
    img = np.stack([r, g, b], axis=-1)
    assert img.min() >= 0 and img.max() <= 255
    return img.astype(np.uint8)


def opencv_tie_rgb():
    """32x32, B = 4x + 40 (horizontal gradient), R = 4y + 40 (vertical gradient), G = 100: B and R tie everywhere
    inside; OpenCV (SIMD path) keeps B, a highest-index-wins rule would keep R."""
    y, x = _grid(32, 32)
    return np.stack([4 * y + 40, np.full_like(x, 100), 4 * x + 40], axis=-1).astype(np.uint8)


def rings(h, w, c=None):
    """Concentric cosine rings (every gradient direction), optionally with a phase shift per channel."""
    y, x = _grid(h, w)
    r = np.hypot(y - (h - 1) * 0.43, x - (w - 1) * 0.57)
    if c is None:
        return np.rint(127.5 + 110 * np.cos(r / 2.3)).astype(np.uint8)
    return np.stack([np.rint(127.5 + 110 * np.cos(r / (2.0 + 0.4 * k) + k)) for k in range(c)], -1).astype(np.uint8)


def smooth(h, w, c=None):
    """Smooth sinusoidal pattern, a different phase per channel."""
    y, x = _grid(h, w)

    def one(k):
        return np.rint(127.5 + 90 * np.sin(x / 4.1 + 0.7 * k) * np.cos(y / 5.3 - 0.4 * k) + 30 * np.sin((x + 2 * y) / 6.0 + k))

    img = one(0) if c is None else np.stack([one(k) for k in range(c)], -1)
    return np.clip(img, 0, 255).astype(np.uint8)


def flat(h, w, c=None, v=77):
    return np.full((h, w) if c is None else (h, w, c), v, dtype=np.uint8)


def stripes(h, w):
    y, x = _grid(h, w)
    return np.where(((x // 3) + (y // 5)) % 2 == 0, 30, 220).astype(np.uint8)


# --------------------------------------------------------------------------------------------------
# independent re-implementations (checks of the descriptions above)
# --------------------------------------------------------------------------------------------------
def skimage_like_hog(img, o):
    image = img.astype(np.float64)
    if o["transformSqrt"]:
        image = np.sqrt(image)
    chans = [image] if image.ndim == 2 else [image[:, :, k] for k in range(image.shape[2])]
    grads = []
    for ch in chans:
        gr = np.zeros_like(ch)
        gc = np.zeros_like(ch)
        gr[1:-1, :] = ch[2:, :] - ch[:-2, :]
        gc[:, 1:-1] = ch[:, 2:] - ch[:, :-2]
        grads.append((gr, gc, np.hypot(gr, gc)))
    best = np.argmax(np.stack([g[2] for g in grads]), axis=0)  # first max wins
    gr = np.choose(best, [g[0] for g in grads])
    gc = np.choose(best, [g[1] for g in grads])
    mag = np.hypot(gc, gr)
    ori = np.rad2deg(np.arctan2(gr, gc)) % 180
    n, ch_, cw_ = o["orientations"], o["cellHeight"], o["cellWidth"]
    bh, bw = o["blockHeight"], o["blockWidth"]
    ncr, ncc = image.shape[0] // ch_, image.shape[1] // cw_
    hist = np.zeros((ncr, ncc, n))
    width = 180.0 / n
    for i in range(n):
        inbin = (ori >= width * i) & (ori < width * (i + 1))
        m = np.where(inbin, mag, 0.0)
        for r in range(ncr):
            for c in range(ncc):
                total = np.float32(0)
                for v in m[r * ch_:(r + 1) * ch_, c * cw_:(c + 1) * cw_].ravel():
                    total = np.float32(total + np.float32(v))
                hist[r, c, i] = np.float32(total / np.float32(ch_ * cw_))
    eps = 1e-5
    out = []
    for r in range(ncr - bh + 1):
        for c in range(ncc - bw + 1):
            b = hist[r:r + bh, c:c + bw, :]
            norm = o["blockNorm"]
            if norm == "L1":
                b = b / (np.abs(b).sum() + eps)
            elif norm == "L1Sqrt":
                b = np.sqrt(b / (np.abs(b).sum() + eps))
            else:
                b = b / np.sqrt((b ** 2).sum() + eps ** 2)
                if norm == "L2Hys":
                    b = np.minimum(b, 0.2)
                    b = b / np.sqrt((b ** 2).sum() + eps ** 2)
            out.append(b.ravel())
    return np.concatenate(out)


F32 = np.float32
_DEG = F32(180 / np.pi)
P1, P3 = F32(0.9997878412794807) * _DEG, F32(-0.3258083974640975) * _DEG
P5, P7 = F32(0.1555786518463281) * _DEG, F32(-0.04432655554792128) * _DEG


def fast_atan_deg(y, x):
    """OpenCV's fastAtan32f polynomial, float32, degrees in [0, 360)."""
    ax, ay = np.abs(x), np.abs(y)
    c = (np.minimum(ax, ay) / (np.maximum(ax, ay) + F32(np.finfo(np.float64).eps))).astype(F32)
    cc = c * c
    a = (((P7 * cc + P5) * cc + P3) * cc + P1) * c
    a = np.where(ax >= ay, a, F32(90) - a)
    a = np.where(x < 0, F32(180) - a, a)
    a = np.where(y < 0, F32(360) - a, a)
    return a.astype(F32)


def opencv_like_hog(img_bgr, gamma, nbins=9, exact_atan=False):
    """HOGDescriptor((32,32),(16,16),(8,8),(8,8),nbins) on one 32x32 window, float32 throughout."""
    img = img_bgr if img_bgr.ndim == 3 else img_bgr[:, :, None]
    h, w, c = img.shape
    lut = np.sqrt(np.arange(256, dtype=F32)) if gamma else np.arange(256, dtype=F32)
    lv = lut[img]
    xs, ys = np.arange(w), np.arange(h)

    def reflect101(i, n):
        return np.where(i < 0, -i, np.where(i >= n, 2 * n - 2 - i, i))

    dx = lv[:, reflect101(xs + 1, w), :] - lv[:, reflect101(xs - 1, w), :]
    dy = lv[reflect101(ys + 1, h), :, :] - lv[reflect101(ys - 1, h), :, :]
    m2 = dx * dx + dy * dy
    if c == 3:
        simd = np.where(m2[..., 2] > m2[..., 1], 2, 1)
        simd = np.where(np.maximum(m2[..., 2], m2[..., 1]) > m2[..., 0], simd, 0)
        tail = np.where(m2[..., 1] > m2[..., 2], 1, 2)
        tail = np.where(m2[..., 0] > np.maximum(m2[..., 2], m2[..., 1]), 0, tail)
        sel = np.where(xs[None, :] < w - w % 4, simd, tail)[..., None]
        gx = np.take_along_axis(dx, sel, 2)[..., 0]
        gy = np.take_along_axis(dy, sel, 2)[..., 0]
    else:
        gx, gy = dx[..., 0], dy[..., 0]
    mag = np.sqrt(gx * gx + gy * gy).astype(F32)
    if exact_atan:
        ang = np.arctan2(gy.astype(np.float64), gx.astype(np.float64)) % (2 * np.pi)
        ang = ang.astype(F32)
    else:
        ang = fast_atan_deg(gy, gx) * F32(np.pi / 180)
    t = ang * F32(nbins / np.pi) - F32(0.5)
    h0 = np.floor(t).astype(int)
    f = (t - h0).astype(F32)
    w0, w1 = mag * (F32(1) - f), mag * f
    h0 = np.where(h0 < 0, h0 + nbins, np.where(h0 >= nbins, h0 - nbins, h0))
    h1 = (h0 + 1) % nbins
    idx = np.arange(16, dtype=F32)
    d2 = (idx - F32(8)) ** 2
    gauss = np.exp(-(d2[:, None] + d2[None, :]) * F32(1 / 32)).astype(F32)
    pos = (idx + F32(0.5)) / F32(8) - F32(0.5)
    cw = np.stack([np.maximum(F32(0), F32(1) - np.abs(pos - F32(k))) for k in (0, 1)]).astype(F32)
    out = []
    for bx in range(3):
        for by in range(3):
            hist = np.zeros((2, 2, nbins), F32)  # [cell x][cell y][bin]
            for cx in range(2):
                for cy in range(2):
                    wgt = (gauss * (cw[cy][:, None] * cw[cx][None, :])).astype(F32)
                    sl = (slice(8 * by, 8 * by + 16), slice(8 * bx, 8 * bx + 16))
                    np.add.at(hist[cx, cy], h0[sl].ravel(), (w0[sl] * wgt).ravel())
                    np.add.at(hist[cx, cy], h1[sl].ravel(), (w1[sl] * wgt).ravel())
            v = hist.ravel()
            v = np.minimum(v * (F32(1) / (np.sqrt(np.sum(v * v, dtype=F32)) + F32(0.1 * v.size))), F32(0.2))
            v = v * (F32(1) / (np.sqrt(np.sum(v * v, dtype=F32)) + F32(1e-3)))
            out.append(v)
    return np.concatenate(out)


# --------------------------------------------------------------------------------------------------
# cases
# --------------------------------------------------------------------------------------------------
SK_NORM = {"L1": "L1", "L1Sqrt": "L1-sqrt", "L2": "L2", "L2Hys": "L2-Hys"}


def sk_options(orientations=9, cell=(8, 8), block=(2, 2), norm="L2Hys", sqrt=False, mode="SingleChannel"):
    return {"orientations": orientations, "cellHeight": cell[0], "cellWidth": cell[1],
            "blockHeight": block[0], "blockWidth": block[1], "blockNorm": norm, "transformSqrt": sqrt,
            "colorMode": mode}


def sk_reference(img, o):
    kw = dict(orientations=o["orientations"], pixels_per_cell=(o["cellHeight"], o["cellWidth"]),
              cells_per_block=(o["blockHeight"], o["blockWidth"]), block_norm=SK_NORM[o["blockNorm"]],
              transform_sqrt=o["transformSqrt"], feature_vector=True)
    mode = o["colorMode"]
    if mode == "SingleChannel":
        assert img.ndim == 2
        return hog(img, **kw)
    assert img.ndim == 3
    if mode == "MaxGradientChannel":
        return hog(img, channel_axis=-1, **kw)
    if mode == "Grayscale":
        return hog(rgb2gray(img) * 255, **kw)
    raise ValueError(mode)


SKIMAGE_CASES = [
    # name, image, options
    ("noise32_gray_L1", noise(32, 32), sk_options(norm="L1")),
    ("noise32_gray_L1Sqrt", noise(32, 32), sk_options(norm="L1Sqrt")),
    ("noise32_gray_L2", noise(32, 32), sk_options(norm="L2")),
    ("noise32_gray_L2Hys", noise(32, 32), sk_options(norm="L2Hys")),
    ("noise32_rgb_max_L1", noise(32, 32, 3), sk_options(norm="L1", mode="MaxGradientChannel")),
    ("noise32_rgb_max_L1Sqrt", noise(32, 32, 3), sk_options(norm="L1Sqrt", mode="MaxGradientChannel")),
    ("noise32_rgb_max_L2", noise(32, 32, 3), sk_options(norm="L2", mode="MaxGradientChannel")),
    ("noise32_rgb_max_L2Hys", noise(32, 32, 3), sk_options(norm="L2Hys", mode="MaxGradientChannel")),
    ("noise32_rgb_max_block3_sqrt", noise(32, 32, 3),
     sk_options(block=(3, 3), sqrt=True, mode="MaxGradientChannel")),
    ("cifar0_max_L2Hys", cifar(0), sk_options(mode="MaxGradientChannel")),
    ("cifar1_max_L2Hys_sqrt", cifar(1), sk_options(sqrt=True, mode="MaxGradientChannel")),
    ("cifar2_grayscale_L2Hys", cifar(2), sk_options(mode="Grayscale")),
    ("cifar3_grayscale_L1_sqrt", cifar(3), sk_options(norm="L1", sqrt=True, mode="Grayscale")),
    ("cifar4_single_L2Hys", cifar_gray(4), sk_options()),
    ("cifar5_max_block3_L1", cifar(5), sk_options(block=(3, 3), norm="L1", mode="MaxGradientChannel")),
    ("cifar6_max_cell6x4_block1_o8_L2_sqrt", cifar(6),
     sk_options(orientations=8, cell=(6, 4), block=(1, 1), norm="L2", sqrt=True, mode="MaxGradientChannel")),
    ("cifar7_grayscale_block3_o12_L2", cifar(7), sk_options(orientations=12, block=(3, 3), norm="L2", mode="Grayscale")),
    ("ramps32_gray_o8_L2", ramps(32, 32), sk_options(orientations=8, norm="L2")),
    ("ramps32_gray_o8_block1_L1", ramps(32, 32), sk_options(orientations=8, block=(1, 1), norm="L1")),
    ("ramps32_gray_o12_L2Hys", ramps(32, 32), sk_options(orientations=12)),
    ("ramps32_gray_o9_L1Sqrt", ramps(32, 32), sk_options(norm="L1Sqrt")),
    ("ramps32_rgb_tie_max_o8_L2Hys", ramps_tie_rgb(32, 32), sk_options(orientations=8, mode="MaxGradientChannel")),
    ("ramps32_rgb_tie_max_o9_L1", ramps_tie_rgb(32, 32), sk_options(norm="L1", mode="MaxGradientChannel")),
    ("rings32_gray_o12_L1Sqrt_sqrt", rings(32, 32), sk_options(orientations=12, norm="L1Sqrt", sqrt=True)),
    ("stripes32_gray_o9_L2", stripes(32, 32), sk_options(norm="L2")),
    ("flat32_gray_L2Hys", flat(32, 32), sk_options()),
    ("flat32_rgb_max_L1Sqrt", flat(32, 32, 3), sk_options(norm="L1Sqrt", mode="MaxGradientChannel")),
    ("smooth24x40_rgb_max_L2Hys", smooth(24, 40, 3), sk_options(mode="MaxGradientChannel")),
    ("smooth24x40_gray_cell6x4_L2", smooth(24, 40), sk_options(cell=(6, 4), norm="L2")),
    ("smooth24x40_grayscale_cell4x6_block3x2_o12_L1Sqrt", smooth(24, 40, 3),
     sk_options(orientations=12, cell=(4, 6), block=(3, 2), norm="L1Sqrt", mode="Grayscale")),
    ("noise17x23_gray_L2Hys", noise(17, 23), sk_options()),
    ("noise17x23_rgb_max_cell5x3_block2x3_L1", noise(17, 23, 3),
     sk_options(cell=(5, 3), block=(2, 3), norm="L1", mode="MaxGradientChannel")),
    ("smooth17x23_grayscale_cell4_block3_L1Sqrt_sqrt", smooth(17, 23, 3),
     sk_options(cell=(4, 4), block=(3, 3), norm="L1Sqrt", sqrt=True, mode="Grayscale")),
    ("rings64x48_rgb_max_block3_L2Hys", rings(64, 48, 3), sk_options(block=(3, 3), mode="MaxGradientChannel")),
    ("noise64x48_gray_block1_L1", noise(64, 48), sk_options(block=(1, 1), norm="L1")),
    ("smooth64x48_grayscale_cell8x6_o12_L2_sqrt", smooth(64, 48, 3),
     sk_options(orientations=12, cell=(8, 6), norm="L2", sqrt=True, mode="Grayscale")),
    ("noise8_gray_cell4_L2Hys", noise(8, 8), sk_options(cell=(4, 4))),
    ("ramps8_rgb_max_cell4_o8_L1", ramps_tie_rgb(8, 8), sk_options(orientations=8, cell=(4, 4), norm="L1",
                                                                   mode="MaxGradientChannel")),
]

OPENCV_PARAMS = {"winWidth": 32, "winHeight": 32, "blockSizeWidth": 16, "blockSizeHeight": 16,
                 "blockStrideWidth": 8, "blockStrideHeight": 8, "derivAperture": 1, "winSigma": -1.0,
                 "effectiveWinSigma": 4.0, "histogramNormType": "L2Hys (0)", "L2HysThreshold": 0.2,
                 "gammaCorrection": False, "nlevels": 64, "signedGradient": False,
                 "winStride": [8, 8], "padding": [0, 0],
                 "inputChannelOrder": "BGR: the stored RGB pixels reversed per pixel before compute()",
                 "outputOrder": "blockX, blockY, cellX, cellY, bin (column-major)"}


def cv_options(gamma=False, mode="MaxGradientChannel"):
    o = {"orientations": 9, "cellHeight": 8, "cellWidth": 8, "blockHeight": 2, "blockWidth": 2,
         "blockNorm": "L2Hys", "transformSqrt": gamma, "colorMode": mode}
    o.update(OPENCV_PARAMS)
    o["gammaCorrection"] = gamma
    return o


def cv_reference(img, o):
    d = cv2.HOGDescriptor((32, 32), (16, 16), (8, 8), (8, 8), 9)
    if o["gammaCorrection"]:
        d = cv2.HOGDescriptor((32, 32), (16, 16), (8, 8), (8, 8), 9, 1, -1.0, cv2.HOGDescriptor_L2Hys, 0.2, True,
                              64, False)
    assert (d.derivAperture, d.winSigma, d.getWinSigma(), d.histogramNormType, d.L2HysThreshold, d.gammaCorrection,
            d.nlevels, d.signedGradient) == (1, -1.0, 4.0, 0, 0.2, o["gammaCorrection"], 64, False)
    src = img if img.ndim == 2 else np.ascontiguousarray(img[:, :, ::-1])
    return d.compute(src).ravel(), src


OPENCV_CASES = [
    ("opencv_cifar0_bgr", cifar(0), cv_options()),
    ("opencv_cifar1_bgr", cifar(1), cv_options()),
    ("opencv_cifar2_bgr", cifar(2), cv_options()),
    ("opencv_noise32_bgr", noise(32, 32, 3), cv_options()),
    ("opencv_smooth32_bgr", smooth(32, 32, 3), cv_options()),
    ("opencv_channel_tie_bgr", opencv_tie_rgb(), cv_options()),
    ("opencv_cifar3_bgr_gamma", cifar(3), cv_options(gamma=True)),
    ("opencv_cifar4_gray", cifar_gray(4), cv_options(mode="SingleChannel")),
    ("opencv_rings32_gray", rings(32, 32), cv_options(mode="SingleChannel")),
]


def check_channel_tie_rule():
    """B = 4x + 10 and R = 4y + 10 tie in every inner pixel (dx^2 + dy^2 = 256 each): the SIMD columns must keep B
    (angle 0 -> bins (8, 0)), the scalar tail columns x >= W - W % 4 must keep R (angle 90 -> bins (4, 5))."""
    d = cv2.HOGDescriptor((32, 32), (16, 16), (8, 8), (8, 8), 9)
    for w in (30, 31, 32, 33):
        y, x = np.mgrid[0:8, 0:w]
        bgr = np.ascontiguousarray(np.stack([4 * x + 10, np.full_like(x, 100), 4 * y + 10], -1).astype(np.uint8))
        grad, qangle = d.computeGradient(bgr, np.zeros((8, w, 2), np.float32), np.zeros((8, w, 2), np.uint8))
        for col in range(1, w - 1):
            want = (8, 0) if col < w - w % 4 else (4, 5)
            assert tuple(qangle[4, col]) == want, (w, col, tuple(qangle[4, col]))


def r7(values):
    return [float(f"{float(v):.7g}") for v in values]


def main():
    check_channel_tie_rule()
    cases = []
    worst = 0.0
    for name, img, o in SKIMAGE_CASES:
        ref = sk_reference(img, o)
        gray = ((img / 255.0) @ np.array([0.2125, 0.7154, 0.0721])) * 255 if o["colorMode"] == "Grayscale" else img
        mine = skimage_like_hog(gray, o)
        diff = float(np.abs(ref - mine).max())
        worst = max(worst, diff)
        assert ref.shape == mine.shape and diff < TOLERANCE_CHECK, (name, diff)
        assert np.all(np.isfinite(ref)), name
        cases.append((name, img, "skimage", o, ref))
    exact_atan_worst = 0.0
    for name, img, o in OPENCV_CASES:
        ref, src = cv_reference(img, o)
        mine = opencv_like_hog(src, o["gammaCorrection"])
        diff = float(np.abs(ref - mine).max())
        worst = max(worst, diff)
        assert ref.shape == (324,) and diff < TOLERANCE_CHECK, (name, diff)
        exact_atan_worst = max(exact_atan_worst, float(np.abs(ref - opencv_like_hog(src, o["gammaCorrection"],
                                                                                     exact_atan=True)).max()))
        cases.append((name, img, "opencv", o, ref))
    # the tie image must actually discriminate the tie rule
    tie = np.ascontiguousarray(opencv_tie_rgb()[:, :, ::-1])
    wrong = opencv_like_hog(np.ascontiguousarray(tie[:, :, ::-1]), False)  # channels swapped: ties -> R
    assert np.abs(cv_reference(opencv_tie_rgb(), cv_options())[0] - wrong).max() > 0.1

    print(f"checked {len(cases)} cases: max |reference - re-implementation| = {worst:.3g}; OpenCV with an exact "
          f"atan2 instead of fastAtan32f differs by up to {exact_atan_worst:.3g}", file=sys.stderr)
    out = {
        "generator": "/usr/bin/python3 tests/MLNet.KnnLinear.Tests/Fixtures/Hog/make_hog_reference.py "
                     "/work/shared/data/cifar-10-batches-bin > tests/MLNet.KnnLinear.Tests/Fixtures/Hog/hog_reference.json",
        "versions": {"skimage": skimage.__version__, "numpy": np.__version__, "opencv": cv2.__version__,
                     "python": sys.version.split()[0]},
        "notes": [
            "pixels: uint8, row-major H x W x C interleaved, channels R,G,B (opencv cases: reversed to B,G,R before compute)",
            "skimage cases: skimage.feature.hog on the uint8 image converted to float64 without rescaling; "
            "Grayscale = hog(skimage.color.rgb2gray(img) * 255); MaxGradientChannel = hog(img, channel_axis=-1)",
            "opencv cases: cv2.HOGDescriptor((32,32),(16,16),(8,8),(8,8),9).compute(bgr) (gammaCorrection as in options)",
            "expected rounded to 7 significant digits; compare with tolerance 1e-4",
            "cifar images: records of test_batch.bin (label byte + planar RGB), 'cifarK' = record K",
            "see the docstring of make_hog_reference.py for the exact algorithms",
        ],
        "cases": [],
    }
    for name, img, ref_kind, o, expected in cases:
        out["cases"].append({
            "name": name, "height": int(img.shape[0]), "width": int(img.shape[1]),
            "channels": 1 if img.ndim == 2 else int(img.shape[2]),
            "pixels": [int(v) for v in img.ravel()],
            "reference": ref_kind, "options": o, "expected": r7(expected),
        })
    text = json.dumps(out, separators=(",", ":"))
    # one case per line keeps diffs readable
    text = text.replace(',"cases":[{', ',\n"cases":[\n{').replace('},{"name"', '},\n{"name"')
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
