"""Non-digits for outlier exposure: crops the app will meet that are not one digit.

The lecture's network has ten outputs and no 'not a digit' class, so these are trained
towards the uniform distribution: the model learns to be unsure of them, and the app's
confidence threshold rejects them. They pass through the preprocessing contract, as
every crop in the app does.
"""
from __future__ import annotations

import cv2
import numpy as np

from edge_app.contract import normalise_digits

from .augment import AugmentConfig, _affine

# Letters that cannot pass for a digit. Left out: O o D Q (0), I l i j J | (1), Z z (2),
# S s (5), G b (6), T (7), B (8), g q (9), A (4): a 'not a digit' target on those would
# teach the model to doubt real digits.
LETTERS = "acefhkmnprtuvwxyCEFHKLMNPRUVWXY#%&@?+="
FONTS = (
    cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
    cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, cv2.FONT_HERSHEY_PLAIN,
)


def letter(rng: np.random.Generator) -> np.ndarray:
    canvas = np.zeros((64, 64), np.uint8)
    font = int(rng.choice(FONTS)) | (cv2.FONT_ITALIC if rng.random() < 0.3 else 0)
    thickness = int(rng.integers(1, 5))
    cv2.putText(canvas, str(rng.choice(list(LETTERS))), (12, 48), font, 1.4, 255, thickness, cv2.LINE_AA)
    return canvas


def touching_pair(rng: np.random.Generator, digits: np.ndarray) -> np.ndarray:
    """Two digits side by side, touching or overlapping: one blob that is not one digit."""
    a, b = digits[rng.integers(len(digits), size=2)]
    overlap = int(rng.integers(2, 8))
    pair = np.zeros((28, 56 - overlap), np.uint8)
    pair[:, :28] = a
    pair[:, 28 - overlap:] = np.maximum(pair[:, 28 - overlap:], b)
    return pair


def negatives(count: int, digits: np.ndarray, seed) -> np.ndarray:
    """``count`` contract-normalised 28x28 non-digits, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    cfg = AugmentConfig()
    crops, turns = [], []
    for _ in range(count):
        crops.append(letter(rng) if rng.random() < 0.6 else touching_pair(rng, digits))
        turns.append(_affine(rng, cfg))
    fields = normalise_digits(crops, ink="light")
    out = np.zeros((count, 28, 28), np.uint8)
    for i, (field, turn) in enumerate(zip(fields, turns)):
        out[i] = cv2.warpAffine(field, turn, (28, 28), flags=cv2.INTER_LINEAR)
    return out
