#!/usr/bin/python3
"""scikit-learn's linear SVMs on the shared CIFAR-10 images, C chosen on a validation split of the training data.

    /usr/bin/python3 tests/MLNet.KnnLinear.Benchmarks/reference/linear_svc_reference.py ../shared/data/cifar-10-batches-bin

Train = all records of data_batch_1..5 (8,068 shared), test = test_batch (1,017); features (x - mean_train) / 255.
The validation split is the one the library's SweepByValidationSplit(validationFraction: 0.2, seed: 1) makes:
System.Random(1).Shuffle over the row numbers (its seeded algorithm is re-implemented below), rows whose shuffled
value is below round(0.2 N) held out. For each model and C: fit on the other 80%, score the held-out 20%; refit on
all training rows and score test. The C with the best validation accuracy is the one reported; the test column of
the other rows is shown only to see how far validation and test agree, never to choose.
"""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.svm import LinearSVC

warnings.simplefilter("always")  # a ConvergenceWarning for every fit that stops at max_iter, not only the first
data_dir = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cifar-10-batches-bin"
only = sys.argv[2].split(",") if len(sys.argv) > 2 else None


def read(name):
    raw = np.fromfile(f"{data_dir}/{name}", dtype=np.uint8).reshape(-1, 3073)
    return raw[:, 1:].astype(np.float64), raw[:, 0].astype(np.int64)


class DotNetRandom:
    """System.Random(seed) of .NET (the seeded, Knuth subtractive generator), enough for Shuffle."""

    MBIG = 2147483647

    def __init__(self, seed):
        seeds = [0] * 56
        mj = 161803398 - abs(seed)
        seeds[55] = mj
        mk, ii = 1, 0
        for i in range(1, 55):
            ii = (ii + 21) % 55
            seeds[ii] = mk
            mk = mj - mk
            if mk < 0:
                mk += self.MBIG
            mj = seeds[ii]
        for _ in range(4):
            for i in range(1, 56):
                seeds[i] -= seeds[1 + (i + 30) % 55]
                if seeds[i] < 0:
                    seeds[i] += self.MBIG
        self.seeds, self.inext, self.inextp = seeds, 0, 21

    def sample(self):
        self.inext = self.inext + 1 if self.inext + 1 < 56 else 1
        self.inextp = self.inextp + 1 if self.inextp + 1 < 56 else 1
        value = self.seeds[self.inext] - self.seeds[self.inextp]
        if value == self.MBIG:
            value -= 1
        if value < 0:
            value += self.MBIG
        self.seeds[self.inext] = value
        return value * (1.0 / self.MBIG)

    def shuffle(self, values):
        n = len(values)
        for i in range(n - 1):
            j = int(self.sample() * (n - i)) + i
            values[i], values[j] = values[j], values[i]


def holdout(rows, fraction, seed):
    permutation = list(range(rows))
    DotNetRandom(seed).shuffle(permutation)
    validation = round(rows * fraction)
    return np.array([p < validation for p in permutation])


parts = [read(f"data_batch_{i}.bin") for i in range(1, 6)]
x_train = np.concatenate([p[0] for p in parts])
y_train = np.concatenate([p[1] for p in parts])
x_test, y_test = read("test_batch.bin")
mean = x_train.mean(axis=0)
x_train = (x_train - mean) / 255.0
x_test = (x_test - mean) / 255.0
held = holdout(len(y_train), 0.2, 1)

models = {
    # LinearSVC's default: one-vs-rest, squared hinge, L2; primal solver (n_samples > n_features).
    "ovr-squared-hinge": (lambda c: LinearSVC(C=c, dual=False, tol=1e-4, max_iter=10000), [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3]),
    # The plain hinge has only LIBLINEAR's dual coordinate-descent solver.
    "ovr-hinge": (lambda c: LinearSVC(C=c, loss="hinge", dual=True, tol=1e-4, max_iter=5000), [3e-5, 1e-4, 3e-4, 1e-3, 3e-3]),
    # Crammer-Singer multiclass hinge, max_j (s_j + [j != y]) - s_y: a single-slack cousin of the Weston-Watkins hinge.
    "crammer-singer": (lambda c: LinearSVC(C=c, multi_class="crammer_singer", tol=1e-4, max_iter=5000), [3e-5, 1e-4, 3e-4, 1e-3, 3e-3]),
}

result = {"generator": f"scikit-learn {sklearn.__version__}", "validation_rows": int(held.sum()), "models": {}}
for name, (make, grid) in models.items():
    if only and name not in only:
        continue
    rows = []
    for c in grid:
        start = time.perf_counter()
        model = make(c).fit(x_train[~held], y_train[~held])
        fit_split = time.perf_counter() - start
        validation = float((model.predict(x_train[held]) == y_train[held]).mean())
        start = time.perf_counter()
        model = make(c).fit(x_train, y_train)
        fit_all = time.perf_counter() - start
        test = float((model.predict(x_test) == y_test).mean())
        rows.append({"C": c, "validation": validation, "test": test, "fit_seconds": fit_all, "fit_seconds_80": fit_split, "iterations": int(np.max(model.n_iter_))})
        print(f"{name}\tC={c:g}\tvalidation {validation:.2%}\ttest {test:.2%}\tfit {fit_all:.1f} s (80%: {fit_split:.1f} s)\titerations {np.max(model.n_iter_)}", flush=True)
    best = max(rows, key=lambda r: r["validation"])
    print(f"{name}: C = {best['C']:g} chosen on validation ({best['validation']:.2%}) -> test {best['test']:.2%}", flush=True)
    result["models"][name] = {"grid": rows, "chosen": best}
print(json.dumps(result, indent=2))
