"""`trainer` end to end on a tiny real MNIST subset, and its refusals."""
import gzip
import hashlib
import json
import os

import numpy as np

from edge_app.classify import Classifier

from conftest import MNIST_SMALL, assert_one_line_error, run_cli

TINY = ["--data", MNIST_SMALL, "--epochs", "1", "--limit", "300", "--seed", "7"]


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_train_then_export_end_to_end(tmp_path):
    out_dir = tmp_path / "train"
    trained = run_cli("trainer", "train", *TINY, "--out-dir", out_dir)
    assert trained.returncode == 0, trained.stderr[-2000:]
    for name in ("model.keras", "history.json", "training_curves.png", "confusion_float.png"):
        assert (out_dir / name).stat().st_size > 0, name
    history = json.loads((out_dir / "history.json").read_text())
    assert len(history["history"]["loss"]) == 1 and history["config"]["seed"] == 7

    model = tmp_path / "tiny.tflite"
    exported = run_cli("trainer", "export", "--data", MNIST_SMALL, "--keras-model", out_dir / "model.keras",
                       "--out", model, "--floor", "0.15", "--margin", "0.2")
    assert exported.returncode == 0, exported.stderr[-2000:]
    meta = json.loads(model.with_suffix(".json").read_text())
    assert meta["sha256"] == digest(model)
    assert meta["input"]["zero_point"] == -128
    classifier = Classifier.from_path(str(model))  # the edge app's loader accepts it
    with np.load(MNIST_SMALL) as d:
        accuracy = (classifier.predict(d["x_test"]).digits == d["y_test"]).mean()
    assert abs(accuracy - meta["int8_test_accuracy"]) < 1e-9

    # A floor above what this model reaches: refused, and the model already written stays byte-identical.
    before = digest(model), digest(model.with_suffix(".json"))
    refused = run_cli("trainer", "export", "--data", MNIST_SMALL, "--keras-model", out_dir / "model.keras",
                      "--out", model, "--floor", "0.999")
    assert refused.returncode != 0
    assert "below the floor" in refused.stderr
    assert (digest(model), digest(model.with_suffix(".json"))) == before
    assert sorted(os.listdir(tmp_path)) == ["tiny.json", "tiny.tflite", "tiny_confusion.png", "train"]


def test_missing_data_path(tmp_path):
    assert_one_line_error(run_cli("trainer", "train", "--data", tmp_path / "nope.npz"), "not found")


def test_wrongly_shaped_data(tmp_path):
    bad = tmp_path / "bad.npz"
    np.savez(bad, x_train=np.zeros((10, 28, 27), np.uint8), y_train=np.zeros(10, np.uint8),
             x_test=np.zeros((5, 28, 28), np.uint8), y_test=np.zeros(5, np.uint8))
    assert_one_line_error(run_cli("trainer", "train", "--data", bad), "x_train has shape")


def test_truncated_npz(tmp_path):
    truncated = tmp_path / "cut.npz"
    truncated.write_bytes(open(MNIST_SMALL, "rb").read()[:5000])
    assert_one_line_error(run_cli("trainer", "train", "--data", truncated), "not a readable .npz")


def write_idx(folder, name, array, gz=False):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    data = header + array.astype(np.uint8).tobytes()
    path = folder / (name + (".gz" if gz else ""))
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def test_idx_folder_and_truncated_idx(tmp_path):
    from trainer.data import load_mnist

    with np.load(MNIST_SMALL) as d:
        write_idx(tmp_path, "train-images-idx3-ubyte", d["x_train"], gz=True)
        write_idx(tmp_path, "train-labels-idx1-ubyte", d["y_train"], gz=True)
        write_idx(tmp_path, "t10k-images-idx3-ubyte", d["x_test"])
        labels = write_idx(tmp_path, "t10k-labels-idx1-ubyte", d["y_test"])
        data = load_mnist(str(tmp_path))
        assert np.array_equal(data.x_train, d["x_train"]) and np.array_equal(data.y_test, d["y_test"])
    labels.write_bytes(labels.read_bytes()[:-10])
    assert_one_line_error(run_cli("trainer", "train", "--data", tmp_path), "truncated")


def test_evaluate_prints_accuracy_per_class_and_writes_the_matrix(tmp_path):
    png = tmp_path / "confusion.png"
    result = run_cli("trainer", "evaluate", "models/digits_int8.tflite", "--data", MNIST_SMALL, "--png", png, "--json")
    assert result.returncode == 0, result.stderr[-1000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["images"] == 600 and figures["accuracy"] >= 0.985
    assert len(figures["per_class"]) == 10 and sum(map(sum, figures["confusion"])) == 600
    assert png.stat().st_size > 0
    text = run_cli("trainer", "evaluate", "models/digits_int8.tflite", "--data", MNIST_SMALL, "--png", png)
    assert "accuracy" in text.stdout and "per class" in text.stdout and "confusion" in text.stdout
