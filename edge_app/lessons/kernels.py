"""Convolution kernels from the lecture, and 2-D convolution as the lecture does it:
symmetric boundary, output the size of the input ('same')."""
from __future__ import annotations

import cv2
import numpy as np

from ..errors import UserError

GAUSSIAN_5 = np.array([[1, 4, 7, 4, 1], [4, 16, 26, 16, 4], [7, 26, 41, 26, 7], [4, 16, 26, 16, 4], [1, 4, 7, 4, 1]], np.float64) / 273

KERNELS = {
    "edge": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], np.float64),  # the lecture's vertical edge filter
    "gaussian5": GAUSSIAN_5,
    # The lecture enlarges its 5x5 Gaussian to 15x15: each weight becomes a 3x3 block,
    # so the blur reaches three times as far; renormalised to sum to 1.
    "gaussian15": np.kron(GAUSSIAN_5, np.ones((3, 3))) / np.kron(GAUSSIAN_5, np.ones((3, 3))).sum(),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], np.float64),
    "sobel_x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float64),
    "sobel_y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], np.float64),
}


def load_kernel(path: str) -> np.ndarray:
    """A kernel from a text file: one row per line, numbers separated by spaces or
    commas; '#' starts a comment. Both sides must be odd, so the kernel has a centre."""
    try:
        with open(path, encoding="utf-8") as f:
            rows = [line.split("#")[0].replace(",", " ").split() for line in f]
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read kernel file {path}: {exc}") from None
    rows = [r for r in rows if r]
    try:
        kernel = np.array([[float(v) for v in r] for r in rows], np.float64)
    except ValueError:
        raise UserError(f"kernel file {path} holds something that is not a number") from None
    if kernel.ndim != 2 or kernel.size == 0 or any(len(r) != len(rows[0]) for r in rows):
        raise UserError(f"kernel file {path} must hold a rectangle of numbers, every row as long")
    if kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0:
        raise UserError(f"kernel in {path} is {kernel.shape[0]}x{kernel.shape[1]}: both sides must be odd")
    return kernel


def kernel_named(name: str) -> np.ndarray:
    if name not in KERNELS:
        raise UserError(f"unknown kernel {name!r}; choose one of {', '.join(KERNELS)} or give --kernel-file")
    return KERNELS[name]


def convolve(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """True 2-D convolution (the kernel flipped, unlike correlation), symmetric boundary,
    'same' size: what scipy.signal.convolve2d(image, kernel, boundary='symm', mode='same')
    computes, at OpenCV's speed."""
    flipped = cv2.flip(np.asarray(kernel, np.float64), -1)
    return cv2.filter2D(image.astype(np.float64), cv2.CV_64F, flipped, borderType=cv2.BORDER_REFLECT)


def for_display(values: np.ndarray) -> np.ndarray:
    """Stretch any real-valued image to 0-255 for showing."""
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-12:
        return np.zeros(values.shape, np.uint8)
    return np.round((values - low) * (255.0 / (high - low))).astype(np.uint8)
