"""What the CNN sees: each digit's input, its ten probabilities as a stem plot, and the
feature maps of both convolution layers, read from the int8 model's own tensors."""
from __future__ import annotations

import warnings

import cv2
import numpy as np

from ..classify import softmax
from ..contract import to_model_input
from ..errors import ModelError
from ..model import ModelInfo
from ..runtimes import open_interpreter


class FeatureMaps:
    """Runs one digit through a copy of the model that keeps its intermediate tensors."""

    def __init__(self, info: ModelInfo, runtime: str | None = None):
        self.info = info
        with warnings.catch_warnings():
            # LiteRT warns that keeping every tensor costs memory: here that is the point.
            warnings.simplefilter("ignore", UserWarning)
            self.interpreter, _ = open_interpreter(info.path, runtime=runtime, preserve_all_tensors=True)
        details = self.interpreter.get_tensor_details()
        self._input = self.interpreter.get_input_details()[0]
        self._output = self.interpreter.get_output_details()[0]
        self.layers = {}
        for name, shape in (("conv1", (1, 28, 28, 32)), ("conv2", (1, 14, 14, 64))):
            match = [d for d in details if tuple(d["shape"]) == shape and name in d["name"]]
            if not match:
                raise ModelError(f"model {info.path} has no {name} output of shape {shape}")
            self.layers[name] = match[0]

    def run(self, digit28: np.ndarray) -> dict:
        """Dequantised feature maps {'conv1': (28, 28, 32), 'conv2': (14, 14, 64)} and the probabilities."""
        q = to_model_input(digit28[None], self.info.input_scale, self.info.input_zero_point)
        self.interpreter.set_tensor(self._input["index"], q)
        self.interpreter.invoke()
        maps = {}
        for name, detail in self.layers.items():
            scale, zero = detail["quantization"]
            maps[name] = (self.interpreter.get_tensor(detail["index"])[0].astype(np.float32) - zero) * scale
        logits = (self.interpreter.get_tensor(self._output["index"])[0].astype(np.float32) - self.info.output_zero_point) * self.info.output_scale
        maps["probabilities"] = softmax(logits[None])[0]
        return maps


def grid(maps: np.ndarray, columns: int, cell: int) -> np.ndarray:
    """Feature maps (H, W, C) as a grid of C tiles, each stretched to its own range."""
    h, w, channels = maps.shape
    rows = int(np.ceil(channels / columns))
    out = np.full((rows * (cell + 2), columns * (cell + 2)), 40, np.uint8)
    for c in range(channels):
        tile = maps[..., c]
        span = float(tile.max() - tile.min())
        tile = np.zeros_like(tile, np.uint8) if span < 1e-9 else np.round((tile - tile.min()) * 255 / span).astype(np.uint8)
        r, k = divmod(c, columns)
        out[r * (cell + 2):r * (cell + 2) + cell, k * (cell + 2):k * (cell + 2) + cell] = cv2.resize(tile, (cell, cell), interpolation=cv2.INTER_NEAREST)
    return cv2.applyColorMap(out, cv2.COLORMAP_VIRIDIS)


def stem_plot(probabilities: np.ndarray, width: int = 280, height: int = 160) -> np.ndarray:
    """The lecture's stem plot of the ten class probabilities."""
    img = np.full((height, width, 3), 255, np.uint8)
    base, top = height - 24, 12
    cv2.line(img, (10, base), (width - 10, base), (0, 0, 0), 1)
    best = int(np.argmax(probabilities))
    for d, p in enumerate(probabilities):
        x = int(20 + d * (width - 40) / 9)
        y = int(base - p * (base - top))
        colour = (0, 140, 0) if d == best else (160, 80, 0)
        cv2.line(img, (x, base), (x, y), colour, 2)
        cv2.circle(img, (x, y), 4, colour, -1)
        cv2.putText(img, str(d), (x - 4, height - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
    cv2.putText(img, f"{best}: {probabilities[best]:.2f}", (width - 90, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    return img


def explain_sheet(digit28: np.ndarray, maps: dict) -> np.ndarray:
    """One picture per digit: input | stem plot, then conv1 (32 maps) and conv2 (64 maps)."""
    digit = cv2.cvtColor(cv2.resize(digit28, (160, 160), interpolation=cv2.INTER_NEAREST), cv2.COLOR_GRAY2BGR)
    stems = stem_plot(maps["probabilities"], 280, 160)
    head = np.hstack([digit, np.full((160, 10, 3), 255, np.uint8), stems])
    conv1 = grid(maps["conv1"], 8, 52)
    conv2 = grid(maps["conv2"], 16, 26)
    width = max(head.shape[1], conv1.shape[1], conv2.shape[1])
    pad = lambda img: np.hstack([img, np.full((img.shape[0], width - img.shape[1], 3), 255, np.uint8)])
    label = lambda text: pad(cv2.putText(np.full((24, width, 3), 255, np.uint8), text, (4, 17), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA))
    return np.vstack([pad(head), label("conv1: 32 feature maps (28x28), int8 model"), pad(conv1),
                      label("conv2: 64 feature maps (14x14), int8 model"), pad(conv2)])


def overlay_features(picture: np.ndarray, result, features: FeatureMaps) -> np.ndarray:
    """Live view: the most confident digit's conv1 feature maps in the picture's corner."""
    chosen = np.flatnonzero(result.accepted)
    if len(chosen) == 0:
        return picture
    best = chosen[np.argmax(result.confidences[chosen])]
    tiles = grid(features.run(result.inputs[best])["conv1"], 8, max(16, picture.shape[1] // 40))
    h, w = tiles.shape[:2]
    if h < picture.shape[0] and w < picture.shape[1]:
        picture[-h:, -w:] = tiles
    return picture
