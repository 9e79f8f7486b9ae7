"""TensorFlow's own tf.lite.Interpreter: deprecated, a fallback for a workstation only."""
import importlib.util

NAME = "tensorflow_lite"


def installed() -> bool:
    return importlib.util.find_spec("tensorflow") is not None


def open(model_path: str, num_threads: int | None, preserve_all_tensors: bool = False):
    import tensorflow as tf  # only reached when neither LiteRT nor tflite-runtime exists

    return tf.lite.Interpreter(model_path=model_path, num_threads=num_threads, experimental_preserve_all_tensors=preserve_all_tensors)
