"""The preprocessing contract: one way to turn a digit crop into the model's input.

The trainer and the edge app both call this module, and its version is written into
the model's sidecar, so a model is never fed digits normalised differently from the
ones it was trained and proven on.

MNIST was made by scaling each digit to fit a 20x20 box (keeping its aspect ratio,
anti-aliased) and placing it in a 28x28 field by its centre of mass; strokes are bright
on black. The figures below were measured on the MNIST training set: the centre of mass
sits at (14.0, 14.0) in pixel-index coordinates and the median stroke is 0.12 of the
box's longer side.
"""
from __future__ import annotations

import cv2
import numpy as np

CONTRACT_VERSION = "mnist-com-v1"

FIELD = 28
BOX = 20
CENTRE = 14.0
# Strokes thinner than this fraction of the digit's longer side are thickened: a
# ballpoint or pencil line on a large crop would otherwise shrink to a faint hairline
# that MNIST never shows. 0.09 is below MNIST's median (0.12), so MNIST-like strokes
# are left alone.
MIN_STROKE_RATIO = 0.09
# Connected pieces with less than this share of the ink are specks, not strokes.
SPECK_SHARE = 0.04
# Below this ink-to-paper contrast (grey levels) a crop holds no digit.
MIN_CONTRAST = 12

INK_MODES = ("auto", "dark", "light")


def ink_to_bright(crop: np.ndarray, ink: str = "auto") -> np.ndarray:
    """Return the crop with ink bright on a dark background."""
    if ink not in INK_MODES:
        raise ValueError(f"ink must be one of {INK_MODES}, not {ink!r}")
    if ink == "auto":
        border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
        # The paper dominates the border: it is light when the border sits in the
        # upper half of the crop's range.
        ink = "dark" if np.median(border) * 2 >= int(crop.min()) + int(crop.max()) else "light"
    return cv2.bitwise_not(crop) if ink == "dark" else crop


def stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of a binary mask: for a thin stroke, area = length x width and
    the outline is twice the length, so width = 2 x area / outline."""
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    outline = sum(cv2.arcLength(c, True) for c in contours)
    return 2.0 * float(np.count_nonzero(mask)) / max(outline, 1.0)


def _digit_mask(bright: np.ndarray) -> np.ndarray | None:
    """Otsu mask of the ink without specks, or None when the crop holds no ink."""
    low, high = cv2.minMaxLoc(bright)[:2]
    if high - low < MIN_CONTRAST:
        return None
    _, mask = cv2.threshold(bright, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # Labels alone, areas by bincount: OpenCV's per-component statistics cost more than
    # the labelling itself on a crop this small.
    count, labels = cv2.connectedComponents(mask, connectivity=8)
    if count < 2:
        return None
    if count == 2:  # one piece of ink: no specks to drop
        return mask
    areas = np.bincount(labels.ravel(), minlength=count)
    areas[0] = 0
    keep = areas >= SPECK_SHARE * areas.sum()
    if keep.sum() == count - 1:
        return mask
    return (keep[labels] * 255).astype(np.uint8)


def _level(values: np.ndarray, share: float) -> float:
    """The value below which ``share`` of ``values`` lie (a cheap percentile)."""
    k = min(len(values) - 1, int(share * len(values)))
    return float(np.partition(values, k)[k])


_SQUARE3 = np.ones((3, 3), np.uint8)


def normalise_digit(crop: np.ndarray, ink: str = "auto") -> np.ndarray:
    """Turn a greyscale digit crop of any size into a 28x28 uint8 MNIST-style image.

    Returns an all-black field when the crop holds no ink.
    """
    if crop.ndim != 2 or crop.dtype != np.uint8 or crop.size == 0:
        raise ValueError("a digit crop must be a non-empty 2-D uint8 greyscale array")
    bright = ink_to_bright(crop, ink)
    mask = _digit_mask(bright)
    field = np.zeros((FIELD, FIELD), np.uint8)
    if mask is None:
        return field

    # Ink level from the strokes, paper level from around them: stretching between the
    # two makes the result independent of lighting while keeping anti-aliased edges.
    on_ink = mask > 0
    paper = _level(bright[~on_ink], 0.5) if not on_ink.all() else 0.0
    ink_level = _level(bright[on_ink], 0.9)
    span = max(ink_level - paper, 1.0)
    near_ink = cv2.dilate(mask, _SQUARE3)
    soft = cv2.multiply(cv2.subtract(bright, int(paper)), 255.0 / span)
    soft = cv2.bitwise_and(soft, near_ink)

    x, y, w, h = cv2.boundingRect(mask)
    side = max(w, h)
    width = stroke_width(mask[y:y + h, x:x + w])
    missing = MIN_STROKE_RATIO * side - width
    if missing >= 1.0:
        radius = int(round(missing / 2.0))
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2)
        soft = cv2.dilate(soft, kernel)
        mask = cv2.dilate(mask, kernel)
        x, y, w, h = cv2.boundingRect(mask)
        side = max(w, h)

    digit = soft[y:y + h, x:x + w]
    scale = BOX / side
    size = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
    shrink = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    digit = cv2.resize(digit, size, interpolation=shrink)
    moments = cv2.moments(digit)
    if moments["m00"] <= 0:
        return field
    com_x, com_y = moments["m10"] / moments["m00"], moments["m01"] / moments["m00"]
    # Integer placement keeps the 20x20 box crisp; the centre of mass lands within half
    # a pixel of the field's centre, as in MNIST.
    top = int(round(CENTRE - com_y))
    left = int(round(CENTRE - com_x))
    _paste(field, digit, top, left)
    return field


def _paste(field: np.ndarray, image: np.ndarray, top: int, left: int) -> None:
    """Copy image into field at (top, left), clipping whatever falls outside."""
    h, w = image.shape
    y0, x0 = max(top, 0), max(left, 0)
    y1, x1 = min(top + h, field.shape[0]), min(left + w, field.shape[1])
    if y1 > y0 and x1 > x0:
        field[y0:y1, x0:x1] = image[y0 - top:y1 - top, x0 - left:x1 - left]


def to_model_input(images: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    """Quantise 28x28 uint8 images (N, 28, 28) to the model's int8 input (N, 28, 28, 1).

    The float model sees pixel / 255; the int8 model sees that value quantised with the
    model's own input scale and zero point (1/255 and -128 for the bundled model, which
    makes it pixel - 128).
    """
    images = np.asarray(images)
    if images.ndim == 2:
        images = images[None]
    real = images.astype(np.float32) / 255.0
    q = np.round(real / scale) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)[..., None]
