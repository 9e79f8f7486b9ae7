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

from edge_app.contract import normalise_digit


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
    style_p: float = 0.35  # crossed 7s, flagged 1s: common in Europe, rare in MNIST


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


def _stroke_width(image: np.ndarray) -> int:
    row = image[image.shape[0] // 2]
    return max(1, min(3, int(np.count_nonzero(row > 127) // max(1, len(np.flatnonzero(np.diff((row > 127).astype(int)) == 1))))))


def add_style(image: np.ndarray, label: int, rng: np.random.Generator) -> np.ndarray:
    """Writing styles MNIST under-represents: a bar across the stem of a 7, a flag (and
    sometimes a base) on a 1. Drawn in the digit's own stroke width; the label stays."""
    ink = image > 127
    rows, cols = np.flatnonzero(ink.any(1)), np.flatnonzero(ink.any(0))
    if len(rows) < 8:
        return image
    top, bottom = rows[0], rows[-1]
    height = bottom - top + 1
    out = image.copy()
    thickness = _stroke_width(image)
    if label == 7:
        row = top + int(height * rng.uniform(0.45, 0.6))
        stem = np.flatnonzero(ink[row])
        if len(stem):
            centre = int(stem.mean())
            half = int(height * rng.uniform(0.18, 0.28))
            cv2.line(out, (centre - half, row), (centre + half, row + int(rng.integers(-1, 2))), 255, thickness, cv2.LINE_AA)
    elif label == 1:
        stem = np.flatnonzero(ink[top + 1])
        if len(stem):
            x = int(stem.mean())
            cv2.line(out, (x, top), (x - int(height * rng.uniform(0.2, 0.35)), top + int(height * rng.uniform(0.2, 0.35))), 255, thickness, cv2.LINE_AA)
            if rng.random() < 0.4:
                base = np.flatnonzero(ink[bottom])
                xb = int(base.mean()) if len(base) else x
                half = int(height * rng.uniform(0.15, 0.25))
                cv2.line(out, (xb - half, bottom), (xb + half, bottom), 255, thickness, cv2.LINE_AA)
    return out


def augment_one(image: np.ndarray, rng: np.random.Generator, cfg: AugmentConfig, label: int = -1) -> np.ndarray:
    if label in (1, 7) and rng.random() < cfg.style_p:
        image = add_style(image, label, rng)
    out = cv2.warpAffine(image, _affine(rng, cfg), (28, 28), flags=cv2.INTER_LINEAR, borderValue=0)
    roll = rng.random()
    if roll < cfg.thicken_p:
        out = cv2.dilate(out, _DISK3 if rng.random() < 0.5 else _SQUARE2)
    elif roll < cfg.thicken_p + cfg.thin_p:
        thinner = cv2.erode(out, _SQUARE2)
        # Never erase a thin digit altogether: keep the thinning only if most ink survives.
        if np.count_nonzero(thinner > 127) >= 0.5 * np.count_nonzero(out > 127):
            out = thinner
    if rng.random() < cfg.contract_p:
        out = normalise_digit(out, ink="light")
    if rng.random() < cfg.blur_p:
        out = cv2.GaussianBlur(out, (3, 3), rng.uniform(0.5, 0.9))
    if rng.random() < cfg.noise_p:
        noisy = out.astype(np.float32) + rng.normal(0, rng.uniform(3, 12), out.shape)
        out = np.clip(noisy, 0, 255).astype(np.uint8)
    return out


def augment_batch(images: np.ndarray, seed, cfg: AugmentConfig = AugmentConfig(), labels=None) -> np.ndarray:
    """Augment uint8 images (N, 28, 28) reproducibly from ``seed`` (an int or a sequence);
    with ``labels``, also in writing styles MNIST lacks."""
    rng = np.random.default_rng(seed)
    labels = np.full(len(images), -1) if labels is None else labels
    return np.stack([augment_one(im, rng, cfg, int(label)) for im, label in zip(images, labels)])
