"""The shared CIFAR-10 split the linear-classifier references use: train = all records of data_batch_1..5, test =
test_batch (official binary format: 1 label byte + 3,072 pixel bytes per record), features (x - mean_train) / 255."""
import numpy as np


def read_batch(data_dir, name):
    raw = np.fromfile(f"{data_dir}/{name}", dtype=np.uint8).reshape(-1, 3073)
    return raw[:, 1:].astype(np.float64), raw[:, 0].astype(np.int64)


def centred_split(data_dir):
    """(x_train, y_train, x_test, y_test) with pixels centred on the training mean and divided by 255."""
    parts = [read_batch(data_dir, f"data_batch_{i}.bin") for i in range(1, 6)]
    x_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    x_test, y_test = read_batch(data_dir, "test_batch.bin")
    mean = x_train.mean(axis=0)
    return (x_train - mean) / 255.0, y_train, (x_test - mean) / 255.0, y_test
