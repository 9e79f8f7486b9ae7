"""Numbers written on a page with a mark drawn round or under them: a box, a circle, a
form's blank, an underline. The constructed layouts of bench/underlined.py and of the
locate rules' tests, made one way for both.
"""
from __future__ import annotations

import os

import cv2
import numpy as np

MNIST_SMALL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "fixtures", "mnist_small.npz")
MARKS = ("nothing", "box", "circle", "blank", "underline")
INK = (60, 60, 60)


def written_number(labels, size: int, mark: str = "nothing", fall: int = 0) -> np.ndarray:
    """A 640x480 page with MNIST digits of ``labels`` written side by side, ``size`` px
    each, and ``mark`` drawn touching them (an underline falling by ``fall`` px)."""
    if mark not in MARKS:
        raise ValueError(f"mark must be one of {MARKS}, not {mark!r}")
    with np.load(MNIST_SMALL) as d:
        digits, classes = d["x_test"], d["y_test"]
    page = np.full((480, 640, 3), 215, np.float32)
    left, top, step = 260, 200, int(0.9 * size)
    for k, label in enumerate(labels):
        digit = cv2.resize(digits[np.flatnonzero(classes == label)[0]], (size, size))
        page[top:top + size, left + step * k:left + step * k + size] -= 0.7 * digit[..., None].astype(np.float32)
    right, bottom = left + step * (len(labels) - 1) + size, top + size
    if mark == "box":
        cv2.rectangle(page, (left - 12, top - 12), (right + 12, bottom + 12), INK, 3)
    elif mark == "circle":
        centre = ((left + right) // 2, (top + bottom) // 2)
        cv2.ellipse(page, centre, ((right - left) // 2 + 16, size // 2 + 16), 0, 0, 360, INK, 3)
    elif mark == "blank":  # 40 % of the frame wide, the digits standing on it
        cv2.line(page, (left - 20, bottom - 4), (left + 236, bottom - 4), INK, 3)
    elif mark == "underline":
        cv2.line(page, (left - 6, bottom - 4), (right + 6, bottom - 4 + fall), INK, 3)
    return np.clip(page + np.random.default_rng(0).normal(0, 3, page.shape), 0, 255).astype(np.uint8)


def on_a_desk(page: np.ndarray, light: float, desk: float, ear: int = 0) -> np.ndarray:
    """The middle of a written_number page as a sheet lit at ``light`` of full light, on
    a desk ``desk`` times as bright as the sheet's paper, its edges in the frame; its
    lower right corner folded under by ``ear`` px (a dog-ear)."""
    rng = np.random.default_rng(1)
    frame = np.clip(desk * 215 * light + rng.normal(0, 3, page.shape), 0, 255)
    corners = np.array([[150, 100], [560, 100], [560, 380 - ear], [560 - ear, 380], [150, 380]], np.int32)
    sheet = np.zeros(page.shape[:2], np.uint8)
    cv2.fillPoly(sheet, [corners], 255)
    frame[sheet > 0] = page[sheet > 0].astype(np.float32) * light
    return frame.astype(np.uint8)
