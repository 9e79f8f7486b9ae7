"""Convert a Keras model to a full-integer int8 TFLite model, prove it, write it atomically."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass

import numpy as np

from edge_app.classify import Classifier
from edge_app.contract import CONTRACT_VERSION
from edge_app.errors import UserError
from edge_app.model import ModelInfo, install_model

from .data import Mnist
from .train import as_float

LABELS = [str(d) for d in range(10)]


class ExportRefused(UserError):
    """The int8 model is not good enough; nothing was written."""


@dataclass(frozen=True)
class Gate:
    floor: float = 0.994
    margin: float = 0.001


def convert_int8(model, representative: np.ndarray) -> bytes:
    import tensorflow as tf

    def samples():
        for image in representative:
            yield [as_float(image[None])]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = samples
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    return converter.convert()


def quantisation_of(tflite_bytes: bytes) -> tuple[dict, dict]:
    """Input and output (scale, zero_point) read from the model itself."""
    from edge_app.runtimes import open_interpreter

    with tempfile.NamedTemporaryFile(suffix=".tflite") as f:
        f.write(tflite_bytes)
        f.flush()
        interpreter, _ = open_interpreter(f.name)
        i = interpreter.get_input_details()[0]["quantization"]
        o = interpreter.get_output_details()[0]["quantization"]
    return {"scale": float(i[0]), "zero_point": int(i[1])}, {"scale": float(o[0]), "zero_point": int(o[1])}


def int8_accuracy(tflite_path: str, meta: dict, data: Mnist) -> tuple[float, np.ndarray]:
    """Accuracy of the int8 model on the whole test split, through the edge app's classifier."""
    predicted = Classifier(ModelInfo.from_metadata(tflite_path, meta)).predict(data.x_test).digits
    return float((predicted == data.y_test).mean()), predicted


def export(model, data: Mnist, out_path: str, gate: Gate, training: dict, float_accuracy: float, representative_count: int = 500, seed: int = 0) -> dict:
    """Write out_path and its sidecar only if the int8 model passes the gate."""
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(data.x_train), size=min(representative_count, len(data.x_train)), replace=False)
    tflite_bytes = convert_int8(model, data.x_train[chosen])
    input_q, output_q = quantisation_of(tflite_bytes)
    meta = {
        "labels": LABELS,
        "input": {**input_q, "dtype": "int8", "shape": [1, 28, 28, 1]},
        "output": {**output_q, "dtype": "int8", "shape": [1, 10], "kind": "logits"},
        "contract_version": CONTRACT_VERSION,
        "float_test_accuracy": float_accuracy,
        "int8_test_accuracy": None,
        "test_images": int(len(data.x_test)),
        "data_source": data.source,
        "training": training,
        "sha256": hashlib.sha256(tflite_bytes).hexdigest(),
    }
    folder = os.path.dirname(os.path.abspath(out_path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp_model = tempfile.mkstemp(prefix=".export.", suffix=".tflite", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(tflite_bytes)
            f.flush()
            os.fsync(f.fileno())
        accuracy, _ = int8_accuracy(tmp_model, meta, data)
        meta["int8_test_accuracy"] = accuracy
        if accuracy < gate.floor:
            raise ExportRefused(f"int8 accuracy {accuracy:.4f} is below the floor {gate.floor:.4f}; the previous model is untouched")
        if float_accuracy - accuracy > gate.margin:
            raise ExportRefused(
                f"int8 accuracy {accuracy:.4f} is {float_accuracy - accuracy:.4f} below the float model's {float_accuracy:.4f} "
                f"(margin {gate.margin:.4f}); the previous model is untouched"
            )
        install_model(out_path, tmp_model, meta)
    finally:
        if os.path.exists(tmp_model):
            os.unlink(tmp_model)
    return meta
