"""Installing a new model survives a crash at any step: old pair or new pair, never a mix."""
import hashlib
import json
import os

import pytest

from edge_app import model as model_module
from edge_app.model import install_model, read_model_info, sidecar_path

from conftest import FIXTURES


class Crash(BaseException):
    """Stands for the process being killed: nothing after it runs."""


def new_pair(tmp_path):
    data = open(os.path.join(FIXTURES, "models", "wrong_classes.tflite"), "rb").read()
    meta = json.loads(open(os.path.join(FIXTURES, "models", "wrong_classes.json")).read())
    meta["sha256"] = hashlib.sha256(data).hexdigest()
    staged = tmp_path / ".staged.tflite"
    staged.write_bytes(data)
    return str(staged), meta


def count_steps(monkeypatch, crash_at):
    """Crash at the ``crash_at``-th rename or unlink (0-based); return the count seen."""
    calls = {"n": 0}
    real_replace, real_unlink = os.replace, os.unlink

    def step(real):
        def wrapped(*args, **kwargs):
            if calls["n"] == crash_at:
                raise Crash()
            calls["n"] += 1
            return real(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(os, "replace", step(real_replace))
    monkeypatch.setattr(os, "unlink", step(real_unlink))
    return calls


@pytest.mark.parametrize("crash_at", range(5))
def test_a_crash_at_any_step_leaves_a_whole_pair(tmp_path, model_copy, monkeypatch, crash_at):
    old_model, old_sidecar = model_copy.read_bytes(), model_copy.with_suffix(".json").read_bytes()
    old_sha = hashlib.sha256(old_model).hexdigest()
    staged, meta = new_pair(tmp_path)
    calls = count_steps(monkeypatch, crash_at)
    try:
        install_model(str(model_copy), staged, meta)
        finished = True
    except Crash:
        finished = False
    monkeypatch.undo()
    info = read_model_info(str(model_copy))  # never raises: the pair is whole
    if info.sha256 == old_sha:
        # Before the commit point: the old model and its sidecar are byte-identical.
        assert model_copy.read_bytes() == old_model
        assert model_copy.with_suffix(".json").read_bytes() == old_sidecar
    else:
        assert info.sha256 == meta["sha256"] and info.metadata["note"] == meta["note"]
    if finished:
        assert calls["n"] == 4  # pinned sidecar, model, plain sidecar, unlink of the pinned one
        assert info.sha256 == meta["sha256"]
        assert sorted(os.listdir(model_copy.parent)) == ["model.json", "model.tflite"]
        assert json.loads(open(sidecar_path(str(model_copy))).read())["sha256"] == meta["sha256"]


def test_a_stale_plain_sidecar_is_still_refused(model_copy):
    model_copy.write_bytes(model_copy.read_bytes()[:-10])
    with pytest.raises(model_module.ModelError, match="does not match"):
        read_model_info(str(model_copy))


@pytest.mark.parametrize("after_seconds", [1.0, 4.0, 7.0])
def test_killing_trainer_export_keeps_a_whole_pair(tmp_path, model_copy, after_seconds):
    """SIGKILL a real export at some moment; what is installed is the old pair or a new one."""
    import signal
    import subprocess
    import time

    from conftest import BIN, MNIST_SMALL, ROOT

    old = model_copy.read_bytes(), model_copy.with_suffix(".json").read_bytes()
    export = subprocess.Popen(
        [os.path.join(BIN, "trainer"), "export", "--data", MNIST_SMALL, "--epochs", "1", "--limit", "300",
         "--floor", "0", "--margin", "1", "--out", str(model_copy), "--out-dir", str(tmp_path / "train")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after_seconds)
    export.send_signal(signal.SIGKILL)
    export.wait(timeout=30)
    info = read_model_info(str(model_copy))
    if (model_copy.read_bytes(), model_copy.with_suffix(".json").read_bytes()) != old:
        assert info.metadata["training"]["limit"] == 300  # the new pair, complete
