import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
BUNDLED_MODEL = os.path.join(ROOT, "models", "digits_int8.tflite")
MNIST_SMALL = os.path.join(FIXTURES, "mnist_small.npz")
BIN = os.path.dirname(sys.executable)


@pytest.fixture(scope="session")
def mnist_small():
    with np.load(MNIST_SMALL) as d:
        return {k: d[k] for k in d.files}


@pytest.fixture(scope="session")
def classifier():
    from edge_app.classify import Classifier

    return Classifier.from_path(BUNDLED_MODEL)


@pytest.fixture
def model_copy(tmp_path):
    """A private copy of the bundled model and its sidecar, safe to corrupt."""
    target = tmp_path / "model.tflite"
    shutil.copy(BUNDLED_MODEL, target)
    shutil.copy(os.path.splitext(BUNDLED_MODEL)[0] + ".json", tmp_path / "model.json")
    return target


def run_cli(name, *args, cwd=None, timeout=600, env=None):
    """Run a console script of this project in a subprocess, as a user would."""
    return subprocess.run(
        [os.path.join(BIN, name), *map(str, args)], capture_output=True, text=True,
        cwd=cwd or ROOT, timeout=timeout, env={**os.environ, **(env or {})},
    )


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
