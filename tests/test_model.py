"""The bundled int8 model: accuracy on real MNIST test digits, and the checks at load."""
import json

import numpy as np
import pytest

from edge_app.classify import Classifier
from edge_app.contract import CONTRACT_VERSION
from edge_app.errors import ModelError
from edge_app.model import read_model_info
from edge_app.runtimes import available

from conftest import BUNDLED_MODEL, assert_one_line_error, run_cli


def test_bundled_model_accuracy_on_mnist_fixture(mnist_small, classifier):
    images, labels = mnist_small["x_test"], mnist_small["y_test"]
    assert len(images) >= 500
    accuracy = (classifier.predict(images).digits == labels).mean()
    assert accuracy >= 0.985, accuracy


def test_sidecar_describes_the_model():
    info = read_model_info(BUNDLED_MODEL)
    meta = info.metadata
    assert info.contract_version == CONTRACT_VERSION
    assert info.labels == [str(d) for d in range(10)]
    assert info.input_zero_point == -128 and info.input_scale == pytest.approx(1 / 255)
    assert meta["int8_test_accuracy"] >= 0.994 and meta["test_images"] == 10000
    assert meta["float_test_accuracy"] - meta["int8_test_accuracy"] <= 0.001
    assert meta["training"]["seed"] == 1234


def test_thread_count_changes_no_output(mnist_small, classifier):
    # The classifier runs on every usable core by default: a Pi and a laptop must still
    # read a frame the same.
    images = mnist_small["x_test"][:48]
    one_thread = Classifier.from_path(BUNDLED_MODEL, num_threads=1).predict(images).probabilities
    assert np.array_equal(Classifier.from_path(BUNDLED_MODEL, num_threads=2).predict(images).probabilities, one_thread)
    assert np.array_equal(classifier.predict(images).probabilities, one_thread)


def test_batched_equals_one_by_one(mnist_small, classifier):
    images = mnist_small["x_test"][:37]
    batched = classifier.predict(images).probabilities
    single = classifier.predict_one_by_one(images).probabilities
    assert np.allclose(batched, single, atol=1e-6)


def test_litert_is_preferred():
    assert available()[0] == "litert"
    assert Classifier.from_path(BUNDLED_MODEL).runtime == "litert"


def test_other_contract_version_is_refused(model_copy):
    sidecar = model_copy.with_suffix(".json")
    meta = json.loads(sidecar.read_text())
    meta["contract_version"] = "mnist-com-v0"
    sidecar.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="preprocessing contract 'mnist-com-v0'"):
        read_model_info(str(model_copy))
    result = run_cli("trainer", "evaluate", model_copy, "--data", "tests/fixtures/mnist_small.npz")
    assert_one_line_error(result, "preprocessing contract")


def test_sha_mismatch_is_refused(model_copy):
    data = bytearray(model_copy.read_bytes())
    data[-1] ^= 0xFF
    model_copy.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match its sidecar"):
        read_model_info(str(model_copy))


def test_missing_sidecar_is_refused(model_copy):
    model_copy.with_suffix(".json").unlink()
    with pytest.raises(ModelError, match="sidecar not found"):
        read_model_info(str(model_copy))
