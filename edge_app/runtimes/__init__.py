"""Find a TFLite interpreter: LiteRT first, then tflite-runtime, then TensorFlow's.

Each backend is one small module with a NAME and an ``open(model_path, num_threads)``
that raises ImportError when its package is missing; adding a runtime is adding a file
and its name to PREFERENCE.
"""
from __future__ import annotations

import importlib

from ..errors import ModelError

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


def open_interpreter(model_path: str, num_threads: int | None = None, runtime: str | None = None):
    """Return (interpreter, backend name) for the first installed backend, or the one named."""
    names = [runtime] if runtime else list(PREFERENCE)
    for name in names:
        if name not in PREFERENCE:
            raise NoInterpreterError(f"unknown runtime {name!r}; choose one of {', '.join(PREFERENCE)}")
        backend = importlib.import_module(f"{__name__}.{name}")
        if backend.installed():
            return backend.open(model_path, num_threads), name
    raise NoInterpreterError(
        "no TFLite interpreter is installed: pip install ai-edge-litert (or tflite-runtime)"
    )
