#!/usr/bin/python3
"""scikit-learn's linear SVMs on the shared CIFAR-10 images, C chosen on a validation split of the training data.

    /usr/bin/python3 tests/MLNet.KnnLinear.Benchmarks/reference/linear_svc_reference.py ../shared/data/cifar-10-batches-bin [MODELS] [--every-c] [--max-iter=N] [--grid=C1,C2]

Train = all records of data_batch_1..5 (8,068 shared), test = test_batch (1,017); features (x - mean_train) / 255.
The validation split is the one the library's SweepByValidationSplit(validationFraction: 0.2, seed: 1) makes:
System.Random(1).Shuffle over the row numbers (its seeded algorithm is re-implemented below), rows whose shuffled
value is below round(0.2 N) held out. For each model and C: fit on the other 80%, score the held-out 20%. The C with
the best validation accuracy is refitted on all training rows and scored on test. With --every-c every C is refitted
and scored on test, only to see how far validation and test agree, never to choose. MODELS: a comma-separated subset
of ovr-squared-hinge, ovr-hinge, crammer-singer. The dual solvers of the last two take minutes per fit (LIBLINEAR's
dense loops, one core); they run with LinearSVC's default max_iter = 1000 (--max-iter=N to change it) and say so
when they stop there. --grid replaces every model's C grid.
"""
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.svm import LinearSVC

# The centred CIFAR-10 split shared with the test fixtures' scripts.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "MLNet.KnnLinear.Tests" / "Fixtures"))
from cifar_split import centred_split  # noqa: E402

warnings.simplefilter("always")  # a ConvergenceWarning for every fit that stops at max_iter, not only the first
arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
every_c = "--every-c" in sys.argv
options = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
max_iter = int(options.get("max-iter", 1000))
data_dir = arguments[0] if arguments else "../shared/data/cifar-10-batches-bin"
only = arguments[1].split(",") if len(arguments) > 1 else None


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


x_train, y_train, x_test, y_test = centred_split(data_dir)
held = holdout(len(y_train), 0.2, 1)

models = {
    # LinearSVC's default: one-vs-rest, squared hinge, L2; primal solver (n_samples > n_features).
    "ovr-squared-hinge": (lambda c: LinearSVC(C=c, dual=False, tol=1e-4, max_iter=10000), [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3]),
    # The plain hinge has only LIBLINEAR's dual coordinate-descent solver.
    "ovr-hinge": (lambda c: LinearSVC(C=c, loss="hinge", dual=True, tol=1e-4, max_iter=max_iter), [3e-5, 1e-4, 3e-4, 1e-3]),
    # Crammer-Singer multiclass hinge, max_j (s_j + [j != y]) - s_y: a single-slack cousin of the Weston-Watkins hinge.
    "crammer-singer": (lambda c: LinearSVC(C=c, multi_class="crammer_singer", tol=1e-4, max_iter=max_iter), [3e-5, 1e-4, 3e-4, 1e-3]),
}

result = {"generator": f"scikit-learn {sklearn.__version__}", "validation_rows": int(held.sum()), "models": {}}
for name, (make, grid) in models.items():
    if only and name not in only:
        continue
    if "grid" in options:
        grid = [float(c) for c in options["grid"].split(",")]
    def test_fit(row):
        start, cpu = time.perf_counter(), time.process_time()
        model = make(row["C"]).fit(x_train, y_train)
        row.update(fit_seconds=round(time.perf_counter() - start, 1), fit_cpu_seconds=round(time.process_time() - cpu, 1),
                   iterations=int(np.max(model.n_iter_)), test=float((model.predict(x_test) == y_test).mean()))
        print(f"{name}\tC={row['C']:g}\ttest {row['test']:.2%}\tfit on all rows {row['fit_seconds']} s (CPU {row['fit_cpu_seconds']} s), {row['iterations']} iterations", flush=True)

    rows = []
    for c in grid:
        start = time.perf_counter()
        model = make(c).fit(x_train[~held], y_train[~held])
        # n_iter_ of crammer_singer is not meaningful in scikit-learn 1.2 (an uninitialised count).
        row = {"C": c, "validation": float((model.predict(x_train[held]) == y_train[held]).mean()),
               "fit_seconds_80": round(time.perf_counter() - start, 1), "iterations_80": int(np.max(model.n_iter_))}
        rows.append(row)
        print(f"{name}\tC={c:g}\tvalidation {row['validation']:.2%}\tfit on 80% {row['fit_seconds_80']} s, {row['iterations_80']} iterations", flush=True)
        if every_c:
            test_fit(row)
    best = max(rows, key=lambda r: r["validation"])
    if "test" not in best:
        test_fit(best)
    print(f"{name}: C = {best['C']:g} chosen on validation ({best['validation']:.2%}) -> test {best['test']:.2%}", flush=True)
    result["models"][name] = {"grid": rows, "chosen": best}
print(json.dumps(result, indent=2))
