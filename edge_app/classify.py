"""Classify 28x28 digits with the int8 model: one invoke for all crops of a frame."""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from .contract import FIELD, to_model_input
from .errors import ModelError
from .model import ModelInfo, read_model_info
from .runtimes import open_interpreter

# Batches are padded up to one of these sizes, and each size gets its own interpreter,
# allocated once: resizing one interpreter's input whenever the digit count changes
# costs more than the invoke itself.
BATCH_BUCKETS = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64)


def usable_cores() -> int:
    """The cores this process may run on (a service may be pinned to fewer than the
    machine has). The interpreters default to one thread; a frame's batch is a few
    dozen digits, and on two cores a second thread halves its invoke (0.83 -> 0.46 ms
    for 23 digits, bench/bench_model.py) without slowing OpenCV's next frame."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Predictions:
    probabilities: np.ndarray  # (N, classes) float32

    @property
    def digits(self) -> np.ndarray:
        return self.probabilities.argmax(axis=1)

    @property
    def confidences(self) -> np.ndarray:
        return self.probabilities.max(axis=1)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


class Classifier:
    """Runs a whole batch of normalised digits through the TFLite model at once."""

    def __init__(self, info: ModelInfo, num_threads: int | None = None, runtime: str | None = None):
        self.info = info
        num_threads = num_threads or usable_cores()
        try:
            self.interpreter, self.runtime = open_interpreter(info.path, num_threads, runtime)
        except ValueError as exc:  # the interpreters say ValueError for a file that is no model
            raise ModelError(f"model {info.path} cannot be loaded: {str(exc).splitlines()[0]}") from None
        self._input = self.interpreter.get_input_details()[0]
        self._output = self.interpreter.get_output_details()[0]
        self._check_signature()
        self._num_threads = num_threads
        self._by_batch = {int(self._input["shape"][0]): self.interpreter}

    @classmethod
    def from_path(cls, model_path: str, num_threads: int | None = None, runtime: str | None = None) -> "Classifier":
        return cls(read_model_info(model_path), num_threads, runtime)

    def _check_signature(self) -> None:
        shape = tuple(int(s) for s in self._input["shape"][1:])
        if shape != (FIELD, FIELD, 1):
            raise ModelError(f"model {self.info.path} takes input {shape}, not ({FIELD}, {FIELD}, 1)")
        if self._input["dtype"] != np.int8 or self._output["dtype"] != np.int8:
            raise ModelError(f"model {self.info.path} is not a full-integer int8 model")
        classes = int(self._output["shape"][-1])
        if classes != len(self.info.labels):
            raise ModelError(f"model {self.info.path} has {classes} outputs but its sidecar names {len(self.info.labels)} labels")

    def _interpreter_for(self, batch: int):
        interpreter = self._by_batch.get(batch)
        if interpreter is None:
            interpreter, _ = open_interpreter(self.info.path, self._num_threads, self.runtime)
            interpreter.resize_tensor_input(self._input["index"], [batch, FIELD, FIELD, 1], strict=False)
            interpreter.allocate_tensors()
            self._by_batch[batch] = interpreter
        return interpreter

    def logits(self, images: np.ndarray) -> np.ndarray:
        """Dequantised logits for uint8 digits of shape (N, 28, 28)."""
        count = len(images)
        if count == 0:
            return np.zeros((0, len(self.info.labels)), np.float32)
        out = []
        largest = BATCH_BUCKETS[-1]
        for start in range(0, count, largest):
            chunk = images[start:start + largest]
            bucket = next(b for b in BATCH_BUCKETS if b >= len(chunk))
            batch = np.zeros((bucket, FIELD, FIELD, 1), np.int8)
            batch[: len(chunk)] = to_model_input(chunk, self.info.input_scale, self.info.input_zero_point)
            interpreter = self._interpreter_for(bucket)
            interpreter.set_tensor(self._input["index"], batch)
            interpreter.invoke()
            q = interpreter.get_tensor(self._output["index"])[: len(chunk)]
            out.append((q.astype(np.float32) - self.info.output_zero_point) * self.info.output_scale)
        return np.concatenate(out)

    def predict(self, images: np.ndarray) -> Predictions:
        return Predictions(softmax(self.logits(images)).astype(np.float32))

    def predict_one_by_one(self, images: np.ndarray) -> Predictions:
        """One invoke per digit: only for benchmarks comparing it with batching."""
        if len(images) == 0:
            return self.predict(images)
        return Predictions(np.concatenate([self.predict(images[i:i + 1]).probabilities for i in range(len(images))]))
