"""Find a TFLite interpreter: LiteRT first, then tflite-runtime, then TensorFlow's.

Each backend is one small module with a NAME and an ``open(model_path, num_threads)``
that raises ImportError when its package is missing; adding a runtime is adding a file
and its name to PREFERENCE.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import sys
import tempfile

from ..errors import ModelError

# The interpreters print this banner straight to file descriptor 2 when they first
# allocate tensors, and offer no switch for it (LiteRT issue #7420); it would break the
# app's promise of one line per error. Everything else they print is passed on.
BANNERS = ("INFO: Created TensorFlow Lite XNNPACK delegate for CPU.",)

# LiteRT is the maintained successor of tflite-runtime and runs the int8 model about
# five times faster here; tflite-runtime 2.14 breaks if TensorFlow was imported first,
# and tf.lite.Interpreter is deprecated, so it is the last resort.
PREFERENCE = ("litert", "tflite_runtime", "tensorflow_lite")


class NoInterpreterError(ModelError):
    pass


def available() -> list[str]:
    """Names of the backends whose package is installed, in order of preference."""
    names = []
    for name in PREFERENCE:
        backend = importlib.import_module(f"{__name__}.{name}")
        if backend.installed():
            names.append(name)
    return names


@contextlib.contextmanager
def without_banner():
    """Run a block with fd 2 captured; re-emit all it printed but the known banner."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real fd 2 (an embedding host): nothing to filter
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            for line in captured.read().decode("utf-8", "replace").splitlines():
                if line.strip() and line.strip() not in BANNERS:
                    print(line, file=sys.stderr)


def open_interpreter(model_path: str, num_threads: int | None = None, runtime: str | None = None, preserve_all_tensors: bool = False):
    """Return (interpreter with tensors allocated, backend name) for the first installed
    backend, or the one named."""
    names = [runtime] if runtime else list(PREFERENCE)
    for name in names:
        if name not in PREFERENCE:
            raise NoInterpreterError(f"unknown runtime {name!r}; choose one of {', '.join(PREFERENCE)}")
        backend = importlib.import_module(f"{__name__}.{name}")
        if backend.installed():
            with without_banner():
                interpreter = backend.open(model_path, num_threads, preserve_all_tensors)
                interpreter.allocate_tensors()
            return interpreter, name
    raise NoInterpreterError(
        "no TFLite interpreter is installed: pip install ai-edge-litert (or tflite-runtime)"
    )
