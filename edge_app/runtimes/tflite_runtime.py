"""tflite-runtime, the older standalone interpreter (needs numpy<2)."""
import importlib.util

NAME = "tflite_runtime"


def installed() -> bool:
    return importlib.util.find_spec("tflite_runtime") is not None


def open(model_path: str, num_threads: int | None, preserve_all_tensors: bool = False):
    from tflite_runtime.interpreter import Interpreter

    return Interpreter(model_path=model_path, num_threads=num_threads, experimental_preserve_all_tensors=preserve_all_tensors)
