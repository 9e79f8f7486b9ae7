"""LiteRT (pip install ai-edge-litert), the successor of tflite-runtime."""
import importlib.util

NAME = "litert"


def installed() -> bool:
    return importlib.util.find_spec("ai_edge_litert") is not None


def open(model_path: str, num_threads: int | None, preserve_all_tensors: bool = False):
    from ai_edge_litert.interpreter import Interpreter

    return Interpreter(model_path=model_path, num_threads=num_threads, experimental_preserve_all_tensors=preserve_all_tensors)
