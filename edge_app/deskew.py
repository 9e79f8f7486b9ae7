"""Tilted writing: estimate the direction of the text lines and turn the page upright.

Digits of a number stand side by side on one baseline, so the direction from the foot
of each candidate to the foot of its nearest neighbour of similar size follows the text
line (feet rather than centres: a tall digit beside a short one has its centre higher). The median of those
directions is the page's tilt; a sheet photographed at an angle or a note lying askew
is turned by it before the digits are cut out, so the classifier sees them upright.
"""
from __future__ import annotations

import cv2
import numpy as np

MIN_ANGLE = 7.0  # degrees: smaller tilts do not bother the classifier (MNIST is not straight either)
MAX_ANGLE = 45.0  # beyond this, "which way is up" is ambiguous
MIN_PAIRS = 3
# The tilt is trusted only when most neighbour directions agree with it: a page with
# level lines and one sloping line, or print whose letters pair up every which way,
# stays as it is.
AGREE_WITHIN = 8.0  # degrees
AGREE_SHARE = 0.6


def text_angle(boxes: np.ndarray) -> float:
    """Tilt of the text lines in degrees (positive: lines fall to the right), 0 if unsure."""
    if len(boxes) < MIN_PAIRS + 1:
        return 0.0
    b = np.asarray(boxes, float)
    foot = np.stack([b[:, 0] + b[:, 2] / 2, b[:, 1] + b[:, 3]], axis=1)
    height = np.maximum(b[:, 3], 1)
    delta = foot[None] - foot[:, None]
    distance = np.hypot(delta[..., 0], delta[..., 1])
    similar = (height[None] / height[:, None] > 0.6) & (height[None] / height[:, None] < 1.6)
    distance = np.where(similar & (distance > 0), distance, np.inf)
    nearest = np.argmin(distance, axis=1)
    close = distance[np.arange(len(b)), nearest] < 2.0 * height
    dx, dy = delta[np.arange(len(b)), nearest].T
    angles = np.degrees(np.arctan2(dy, dx))
    angles = (angles + 90) % 180 - 90  # a line has no direction: fold into [-90, 90)
    angles = angles[close & (np.abs(angles) < MAX_ANGLE)]
    if len(angles) < MIN_PAIRS:
        return 0.0
    median = float(np.median(angles))
    if np.mean(np.abs(angles - median) <= AGREE_WITHIN) < AGREE_SHARE:
        return 0.0
    return median


def rotate(image: np.ndarray, angle: float):
    """Image turned by -angle (so text falling by ``angle`` becomes level), on a canvas
    large enough to hold it all, and the 2x3 matrix back to the original's pixels.
    The canvas beyond the image repeats the image's edge pixels, so the paper estimate
    sees no false edge there; ``shown`` tells where the canvas shows the image itself."""
    h, w = image.shape[:2]
    to_upright = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(to_upright[0, 0]), abs(to_upright[0, 1])
    new_w, new_h = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    to_upright[:, 2] += (new_w / 2 - w / 2, new_h / 2 - h / 2)
    upright = cv2.warpAffine(image, to_upright, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return upright, cv2.invertAffineTransform(to_upright), shown(image.shape, to_upright, upright.shape)


def shown(shape: tuple, matrix: np.ndarray, canvas: tuple) -> np.ndarray:
    """uint8 mask of the canvas (h, w) that shows the inside of an image of ``shape``
    turned by ``matrix`` (the one rotate used); the image's outermost pixels, its
    edge, are left out."""
    h, w = shape[:2]
    inside = np.zeros((h, w), np.uint8)
    inside[1:-1, 1:-1] = 255
    return cv2.warpAffine(inside, matrix, (canvas[1], canvas[0]), flags=cv2.INTER_NEAREST, borderValue=0)
