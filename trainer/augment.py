"""Augmentation that makes MNIST look like digits cropped from camera frames.

Camera crops differ from MNIST by slant, rotation, imperfect centring and scale, stroke
weight (ballpoint vs marker), focus blur and sensor noise; and they reach the model only
after the preprocessing contract. So part of every batch is passed through that same
contract, and the model learns its output rather than only MNIST's.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from edge_app.contract import normalise_digits


@dataclass(frozen=True)
class AugmentConfig:
    rotation_deg: float = 12.0
    shear: float = 0.2
    scale: tuple = (0.85, 1.08)
    shift_px: float = 2.0
    thicken_p: float = 0.25
    thin_p: float = 0.15
    blur_p: float = 0.15
    noise_p: float = 0.2
    contract_p: float = 0.5


def _affine(rng: np.random.Generator, cfg: AugmentConfig) -> np.ndarray:
    angle = np.deg2rad(rng.uniform(-cfg.rotation_deg, cfg.rotation_deg))
    shear = rng.uniform(-cfg.shear, cfg.shear)
    scale = rng.uniform(*cfg.scale)
    cos, sin = np.cos(angle) * scale, np.sin(angle) * scale
    linear = np.array([[cos, -sin], [sin, cos]]) @ np.array([[1.0, shear], [0.0, 1.0]])
    centre = np.array([14.0, 14.0])
    offset = centre - linear @ centre + rng.uniform(-cfg.shift_px, cfg.shift_px, 2)
    return np.hstack([linear, offset[:, None]]).astype(np.float32)


_DISK3 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
_SQUARE2 = np.ones((2, 2), np.uint8)


def _reshape(image: np.ndarray, rng: np.random.Generator, cfg: AugmentConfig) -> np.ndarray:
    """Slant, rotation, centring, scale and stroke weight."""
    out = cv2.warpAffine(image, _affine(rng, cfg), (28, 28), flags=cv2.INTER_LINEAR, borderValue=0)
    roll = rng.random()
    if roll < cfg.thicken_p:
        out = cv2.dilate(out, _DISK3 if rng.random() < 0.5 else _SQUARE2)
    elif roll < cfg.thicken_p + cfg.thin_p:
        thinner = cv2.erode(out, _SQUARE2)
        # Never erase a thin digit altogether: keep the thinning only if most ink survives.
        if np.count_nonzero(thinner > 127) >= 0.5 * np.count_nonzero(out > 127):
            out = thinner
    return out


def augment_batch(images: np.ndarray, seed, cfg: AugmentConfig = AugmentConfig()) -> np.ndarray:
    """Augment uint8 images (N, 28, 28) reproducibly from ``seed`` (an int or a sequence).

    Each image draws its random choices in one fixed order; the ones chosen for the
    contract are normalised together afterwards (the contract is fastest on a batch),
    and only then blurred and noised as drawn.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((len(images), 28, 28), np.uint8)
    contracted, blurs, noises = [], {}, {}
    for i, image in enumerate(images):
        out[i] = _reshape(image, rng, cfg)
        if rng.random() < cfg.contract_p:
            contracted.append(i)
        if rng.random() < cfg.blur_p:
            blurs[i] = rng.uniform(0.5, 0.9)
        if rng.random() < cfg.noise_p:
            noises[i] = rng.normal(0, rng.uniform(3, 12), (28, 28))
    if contracted:
        out[contracted] = normalise_digits(list(out[contracted]), ink="light")
    for i, sigma in blurs.items():
        out[i] = cv2.GaussianBlur(out[i], (3, 3), sigma)
    for i, noise in noises.items():
        out[i] = np.clip(out[i].astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return out
