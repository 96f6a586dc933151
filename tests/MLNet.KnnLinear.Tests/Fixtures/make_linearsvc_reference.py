#!/usr/bin/python3
"""Makes linearsvc_cifar10_reference.json: scikit-learn's LinearSVC (one-vs-rest squared hinge, L2) on the shared
CIFAR-10 images, the reference LinearLoss.OneVersusRestSquaredHinge is checked against.

    /usr/bin/python3 tests/MLNet.KnnLinear.Tests/Fixtures/make_linearsvc_reference.py ../shared/data/cifar-10-batches-bin

Train = all records of data_batch_1..5, test = test_batch; features (x - mean_train) / 255 per pixel. C = 1e-3, the
value tests/MLNet.KnnLinear.Benchmarks/reference/linear_svc_reference.py chooses on the validation split.
LinearSVC minimises, per class j, 1/2 |w_j|^2 + 1/2 b_j^2 + C sum_i max(0, 1 - t_ij s_ij)^2 (LIBLINEAR also
penalises the bias, through a constant feature). Summed over j and divided by C N that is
mean_i L_i + lambda (|W|^2 + |b|^2) with lambda = 1 / (2 C N) and L_i = sum_j max(0, 1 - t_ij s_ij)^2: reported as
"objective_liblinear". The trainer does not penalise b, so its objective is mean_i L_i + lambda |W|^2, reported at
scikit-learn's solution as "objective"; the trainer's minimum must not exceed it.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.svm import LinearSVC

from cifar_split import centred_split

data_dir = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cifar-10-batches-bin"

x_train, y_train, x_test, y_test = centred_split(data_dir)

C = 1e-3
n = x_train.shape[0]
start = time.perf_counter()
cpu = time.process_time()
model = LinearSVC(C=C, dual=False, tol=1e-6, max_iter=10000).fit(x_train, y_train)
fit_seconds = time.perf_counter() - start
fit_cpu_seconds = time.process_time() - cpu

scores = x_train @ model.coef_.T + model.intercept_
signs = np.where(np.arange(10)[None, :] == y_train[:, None], 1.0, -1.0)
mean_loss = (np.maximum(0, 1 - signs * scores) ** 2).sum(axis=1).mean()
lam = 1.0 / (2 * C * n)
objective = mean_loss + lam * (model.coef_ ** 2).sum()
accuracy = (model.predict(x_test) == y_test).mean()

result = {
    "generator": f"scikit-learn {sklearn.__version__}, LinearSVC(C={C}, loss='squared_hinge', multi_class='ovr', dual=False, tol=1e-6)",
    "train_rows": int(n),
    "test_rows": int(x_test.shape[0]),
    "C": C,
    "lambda": lam,
    "objective": float(objective),
    "objective_liblinear": float(objective + lam * (model.intercept_ ** 2).sum()),
    "mean_loss": float(mean_loss),
    "test_accuracy": float(accuracy),
    "iterations": int(np.max(model.n_iter_)),
    "fit_seconds": round(fit_seconds, 1),
    "fit_cpu_seconds": round(fit_cpu_seconds, 1),
}
print(json.dumps(result, indent=2))
