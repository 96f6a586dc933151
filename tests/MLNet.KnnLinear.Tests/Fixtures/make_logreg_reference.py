#!/usr/bin/python3
"""Makes logreg_cifar10_reference.json: scikit-learn's multinomial LogisticRegression on the shared CIFAR-10 images,
the reference the linear classifier's softmax + L2 objective is checked against.

    /usr/bin/python3 tests/MLNet.KnnLinear.Tests/Fixtures/make_logreg_reference.py ../shared/data/cifar-10-batches-bin

Train = all records of data_batch_1..5, test = test_batch; features (x - mean_train) / 255 per pixel; C = 1e-2.
scikit-learn minimises 1/2 |W|^2 + C sum_i CE_i (intercept unpenalised); divided by C N that is
mean_i CE_i + lambda |W|^2 with lambda = 1 / (2 C N), the objective reported here.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

from cifar_split import centred_split

data_dir = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cifar-10-batches-bin"

x_train, y_train, x_test, y_test = centred_split(data_dir)

C = 1e-2
n = x_train.shape[0]
model = LogisticRegression(multi_class="multinomial", C=C, solver="lbfgs", max_iter=20000, tol=1e-12)
model.fit(x_train, y_train)

scores = x_train @ model.coef_.T + model.intercept_
scores -= scores.max(axis=1, keepdims=True)
log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
mean_ce = -log_probs[np.arange(n), y_train].mean()
lam = 1.0 / (2 * C * n)
objective = mean_ce + lam * (model.coef_ ** 2).sum()
accuracy = (model.predict(x_test) == y_test).mean()

result = {
    "generator": f"scikit-learn {sklearn.__version__}, LogisticRegression(multi_class='multinomial', C={C}, solver='lbfgs', tol=1e-12)",
    "train_rows": int(n),
    "test_rows": int(x_test.shape[0]),
    "C": C,
    "lambda": lam,
    "objective": float(objective),
    "mean_cross_entropy": float(mean_ce),
    "test_accuracy": float(accuracy),
    "iterations": int(model.n_iter_[0]),
}
print(json.dumps(result, indent=2))
