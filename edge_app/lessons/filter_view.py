"""Input, kernel and output side by side, as the lecture shows a convolution."""
from __future__ import annotations

import cv2
import numpy as np

from ..locate import to_bgr
from .kernels import convolve, for_display

LABEL_H = 28


def _labelled(image: np.ndarray, text: str) -> np.ndarray:
    bar = np.zeros((LABEL_H, image.shape[1], 3), np.uint8)
    cv2.putText(bar, text, (6, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (255, 255, 255), 1, cv2.LINE_AA)
    return np.vstack([bar, image])


def kernel_picture(kernel: np.ndarray, size: int) -> np.ndarray:
    """The kernel as a colour map (blue negative, red positive), with its values when small."""
    k = np.asarray(kernel, np.float64)
    scale = max(abs(k.min()), abs(k.max()), 1e-12)
    shown = np.round((k / scale + 1) * 127.5).astype(np.uint8)
    picture = cv2.applyColorMap(cv2.resize(shown, (size, size), interpolation=cv2.INTER_NEAREST), cv2.COLORMAP_JET)
    if k.shape[0] <= 7 and k.shape[1] <= 7:
        cell_h, cell_w = size / k.shape[0], size / k.shape[1]
        for (r, c), value in np.ndenumerate(k):
            text = f"{value:.3g}"
            cv2.putText(picture, text, (int(c * cell_w + cell_w / 2 - 6 * len(text)), int(r * cell_h + cell_h / 2 + 6)),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.55, (255, 255, 255), 1, cv2.LINE_AA)
    return picture


def filter_panel(frame_image: np.ndarray, kernel: np.ndarray, name: str, height: int = 360) -> np.ndarray:
    grey = cv2.cvtColor(to_bgr(frame_image), cv2.COLOR_BGR2GRAY)
    output = for_display(convolve(grey, kernel))
    width = int(round(grey.shape[1] * height / grey.shape[0]))
    as_bgr = lambda g: cv2.cvtColor(cv2.resize(g, (width, height), interpolation=cv2.INTER_AREA), cv2.COLOR_GRAY2BGR)
    gap = np.zeros((height + LABEL_H, 8, 3), np.uint8)
    return np.hstack([
        _labelled(as_bgr(grey), "input"), gap,
        _labelled(kernel_picture(kernel, height), f"kernel {name} ({kernel.shape[0]}x{kernel.shape[1]})"), gap,
        _labelled(as_bgr(output), "output (stretched to 0-255)"),
    ])
