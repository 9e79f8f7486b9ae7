"""Every kind of bad model is refused at start: one line naming the problem, exit code 2."""
import hashlib
import json
import os
import shutil

import pytest

from conftest import FIXTURES, assert_one_line_error, run_cli
from helpers import STILLS

BAD = os.path.join(FIXTURES, "models")


def resign(model):
    """Make the sidecar's sha256 match the (damaged) model, so loading reaches the model."""
    sidecar = model.with_suffix(".json")
    meta = json.loads(sidecar.read_text())
    meta["sha256"] = hashlib.sha256(model.read_bytes()).hexdigest()
    sidecar.write_text(json.dumps(meta))


def empty(model):
    model.write_bytes(b"")
    resign(model)


def random_bytes(model):
    model.write_bytes(os.urandom(5000))
    resign(model)


def truncated(model):
    model.write_bytes(model.read_bytes()[:20000])
    resign(model)


def not_resigned(model):
    model.write_bytes(model.read_bytes()[:-100])


def no_sidecar(model):
    model.with_suffix(".json").unlink()


def corrupt_sidecar(model):
    model.with_suffix(".json").write_text("{ not json")


def sidecar_not_an_object(model):
    model.with_suffix(".json").write_text("[1, 2]")


def sidecar_missing_keys(model):
    model.with_suffix(".json").write_text(json.dumps({"labels": []}))


@pytest.mark.parametrize("damage, message", [
    (empty, "cannot be loaded"), (random_bytes, "cannot be loaded"), (truncated, "cannot be loaded"),
    (not_resigned, "does not match its sidecar"), (no_sidecar, "sidecar not found"),
    (corrupt_sidecar, "not valid JSON"), (sidecar_not_an_object, "JSON object"), (sidecar_missing_keys, "lacks"),
])
def test_damaged_bundled_model(model_copy, damage, message):
    damage(model_copy)
    assert_one_line_error(run_cli("edge-app", "replay", STILLS, "--model", model_copy), message)


@pytest.mark.parametrize("name, message", [
    ("float_model", "not a full-integer int8 model"),
    ("wrong_shape", "takes input (32, 32, 1)"),
    ("wrong_classes", "has 5 outputs"),
])
def test_models_of_the_wrong_kind(tmp_path, name, message):
    for ext in (".tflite", ".json"):
        shutil.copy(os.path.join(BAD, name + ext), tmp_path / ("m" + ext))
    assert_one_line_error(run_cli("edge-app", "replay", STILLS, "--model", tmp_path / "m.tflite"), message)


def test_missing_model(tmp_path):
    assert_one_line_error(run_cli("edge-app", "replay", STILLS, "--model", tmp_path / "none.tflite"), "model not found")
