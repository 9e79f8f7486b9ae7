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

from .labelling import union_boxes


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
    """Mean stroke width of a binary mask."""
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    return _stroke_width(np.count_nonzero(mask), sum(cv2.arcLength(c, True) for c in contours))


def _stroke_width(ink_pixels: int, outline: float) -> float:
    """For a thin stroke, area = length x width and the outline is twice the length, so
    width = 2 x area / outline."""
    return 2.0 * float(ink_pixels) / max(outline, 1.0)


_SQUARE3 = np.ones((3, 3), np.uint8)


def normalise_digit(crop: np.ndarray, ink: str = "auto") -> np.ndarray:
    """Turn a greyscale digit crop of any size into a 28x28 uint8 MNIST-style image.

    Returns an all-black field when the crop holds no ink.
    """
    return normalise_digits([crop], ink)[0]


def normalise_digits(crops: list, ink: str = "auto") -> np.ndarray:
    """normalise_digit for many crops at once, (N, 28, 28) uint8.

    The steps that cost a call per crop (labelling, histograms, dilation, outlines) run
    once over a strip that holds every crop side by side, one empty column apart: the
    crops cannot touch there, so each gets exactly what it would get alone.
    """
    return normalise_and_count_holes(crops, ink)[0]


# A hole in the ink counts from this share of its crop's area (and 4 pixels): pinholes
# in a thick stroke do not.
HOLE_SHARE = 0.002


def normalise_and_count_holes(crops: list, ink: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """normalise_digits, and how many holes the ink of each crop encloses (N,), as the
    outlines measured for the stroke width give them: 0 to 2 for a digit (8 has two),
    many for the crack network of leather or fabric."""
    fields = np.zeros((len(crops), FIELD, FIELD), np.uint8)
    holes = np.zeros(len(crops), np.int64)
    brights, masks, owners = [], [], []
    for i, crop in enumerate(crops):
        if crop.ndim != 2 or crop.dtype != np.uint8 or crop.size == 0:
            raise ValueError("a digit crop must be a non-empty 2-D uint8 greyscale array")
        bright = ink_to_bright(crop, ink)
        low, high = cv2.minMaxLoc(bright)[:2]
        if high - low < MIN_CONTRAST:
            continue
        brights.append(bright)
        masks.append(cv2.threshold(bright, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1])
        owners.append(i)
    if brights:
        holes[owners] = _normalise_strip(_Strip(brights, masks), fields, owners)
    return fields, holes


class _Strip:
    """Crops side by side in one image, each at column ``left[k]``."""

    def __init__(self, brights: list, masks: list):
        widths = np.array([b.shape[1] for b in brights])
        self.heights = np.array([b.shape[0] for b in brights])
        self.widths = widths
        self.left = np.concatenate([[0], np.cumsum(widths + 1)[:-1]])
        shape = (int(self.heights.max()), int(self.left[-1] + widths[-1]))
        self.bright = np.zeros(shape, np.uint8)
        self.mask = np.zeros(shape, np.uint8)
        for k, (bright, mask) in enumerate(zip(brights, masks)):
            self.bright[: bright.shape[0], self.left[k]:self.left[k] + bright.shape[1]] = bright
            self.mask[: mask.shape[0], self.left[k]:self.left[k] + mask.shape[1]] = mask
        # Per column, its crop (gaps: the crop on their left); per crop, how many of the
        # zeros in its columns are padding (under a shorter crop, or its gap), not its own.
        self.column_owner = self.owner(np.arange(shape[1]))
        self.padding = (shape[0] - self.heights) * widths
        self.padding[:-1] += shape[0]

    def owner(self, x: np.ndarray) -> np.ndarray:
        """Which crop each strip column belongs to."""
        return np.searchsorted(self.left, x, side="right") - 1

    def region(self, image: np.ndarray, k: int) -> np.ndarray:
        return image[: self.heights[k], self.left[k]:self.left[k] + self.widths[k]]


def _normalise_strip(strip: _Strip, fields: np.ndarray, owners: list) -> np.ndarray:
    """Fill fields[owners] from the strip; return the holes of each crop's ink."""
    count = len(owners)
    stats, owner = _drop_specks(strip, count)
    ink_pixels = np.bincount(owner, weights=stats[:, cv2.CC_STAT_AREA], minlength=count).astype(np.int64)
    # Ink level from the strokes, paper level from around them: stretching between the
    # two makes the result independent of lighting while keeping anti-aliased edges.
    bins = strip.column_owner[None, :] * 256 + strip.bright
    ink_histogram = np.bincount(bins[strip.mask > 0], minlength=count * 256).reshape(count, 256)
    all_histogram = np.bincount(bins.ravel(), minlength=count * 256).reshape(count, 256)
    all_histogram[:, 0] -= strip.padding
    paper_level = np.maximum(histogram_levels(all_histogram - ink_histogram, 0.5), 0.0)
    ink_level = histogram_levels(ink_histogram, 0.9)
    boxes = _ink_boxes(strip, stats, owner, count)
    outlines, holes = _outlines(strip, count)
    widths = [_stroke_width(ink, outline) for ink, outline in zip(ink_pixels, outlines)]

    soft = _stretched(strip, bins, paper_level, ink_level)
    scaled = np.zeros((count, BOX, BOX), np.uint8)  # each digit in its top-left corner
    for k, (x, y, w, h) in enumerate(boxes.tolist()):
        if ink_pixels[k] == 0:
            continue
        digit_soft = strip.region(soft, k)
        side = max(w, h)
        missing = MIN_STROKE_RATIO * side - widths[k]
        if missing >= 1.0:
            radius = int(round(missing / 2.0))
            kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2)
            digit_soft = cv2.dilate(digit_soft, kernel)
            x, y, w, h = cv2.boundingRect(cv2.dilate(strip.region(strip.mask, k), kernel))
            side = max(w, h)
        digit = digit_soft[y:y + h, x:x + w]
        scale = BOX / side
        size = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
        shrink = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        scaled[k, : size[1], : size[0]] = cv2.resize(digit, size, interpolation=shrink)
    fields[owners] = _centre(scaled)
    return holes


def _stretched(strip: _Strip, bins: np.ndarray, paper_level: np.ndarray, ink_level: np.ndarray) -> np.ndarray:
    """The strip with each crop stretched from its paper level (0) to its ink level
    (255), kept only on and next to its ink, by one table lookup per pixel. The table is
    computed in double precision, which rounds exactly as OpenCV's scalar multiply."""
    span = np.maximum(ink_level - paper_level, 1.0)
    levels = np.arange(256, dtype=np.float64)
    above_paper = np.maximum(levels[None, :] - paper_level.astype(np.int64)[:, None], 0)
    table = np.clip(np.rint(above_paper * (255.0 / span)[:, None]), 0, 255).astype(np.uint8)
    return cv2.bitwise_and(table.ravel()[bins], cv2.dilate(strip.mask, _SQUARE3))


def _drop_specks(strip: _Strip, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Blank the pieces of the mask holding under SPECK_SHARE of their crop's ink;
    return the statistics of the pieces kept and the crop each belongs to."""
    pieces, labels, stats, _ = cv2.connectedComponentsWithStats(strip.mask, connectivity=8)
    stats = stats[1:]
    owner = strip.owner(stats[:, 0])
    area = stats[:, cv2.CC_STAT_AREA]
    kept = area >= SPECK_SHARE * np.bincount(owner, weights=area, minlength=count)[owner]
    if not kept.all():
        lut = np.zeros(pieces, np.uint8)
        lut[1:][kept] = 255
        strip.mask = lut[labels]
    return stats[kept], owner[kept]


def _ink_boxes(strip: _Strip, stats: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """(count, 4) x, y, w, h of each crop's ink, in the crop's own pixels."""
    in_crop = stats.copy()
    in_crop[:, 0] -= strip.left[owner]
    return union_boxes(in_crop, owner, count)


def _outlines(strip: _Strip, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Total length of the outlines of each crop's ink, and the number of its holes of
    at least HOLE_SHARE of the crop."""
    contours, hierarchy = cv2.findContours(strip.mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return np.zeros(count), np.zeros(count, np.int64)
    owners = strip.owner(np.array([contour[0, 0, 0] for contour in contours]))
    lengths = np.bincount(owners, weights=[cv2.arcLength(contour, True) for contour in contours], minlength=count)
    # Two levels: outer outlines have no parent, the outlines of holes have one.
    inner = np.flatnonzero(hierarchy[0, :, 3] >= 0)
    areas = np.array([cv2.contourArea(contours[i]) for i in inner])
    least = np.maximum(4.0, HOLE_SHARE * strip.heights * strip.widths)
    big = inner[areas >= least[owners[inner]]] if len(inner) else inner
    return lengths, np.bincount(owners[big], minlength=count)


def histogram_levels(histograms: np.ndarray, share: float) -> np.ndarray:
    """Per row of 256-bin histograms, the grey level below which ``share`` of its
    pixels lie (the k-th smallest, k = share x count); -1 for an empty row."""
    below_or_at = np.cumsum(histograms, axis=1)
    counts = below_or_at[:, -1]
    k = np.minimum(counts - 1, np.floor(share * counts).astype(np.int64))
    levels = np.argmax(below_or_at > k[:, None], axis=1).astype(float)
    return np.where(counts > 0, levels, -1.0)


def _centre(scaled: np.ndarray) -> np.ndarray:
    """Place each scaled digit (N, 20, 20) in a 28x28 field with its centre of mass at
    the field's centre; a digit with no ink gives an empty field."""
    count = len(scaled)
    ink = scaled.astype(np.float64)
    mass = ink.sum(axis=(1, 2))
    steps = np.arange(BOX, dtype=np.float64)
    has_ink = mass > 0
    safe = np.where(has_ink, mass, 1.0)
    com_x = (ink.sum(axis=1) @ steps) / safe
    com_y = (ink.sum(axis=2) @ steps) / safe
    # Integer placement keeps the 20x20 box crisp; the centre of mass lands within half
    # a pixel of the field's centre, as in MNIST.
    top = np.rint(CENTRE - com_y).astype(np.int64)
    left = np.rint(CENTRE - com_x).astype(np.int64)
    # Paste into fields with a BOX-wide margin all round, so no slice falls outside.
    padded = np.zeros((count, FIELD + 2 * BOX, FIELD + 2 * BOX), np.uint8)
    for k in np.flatnonzero(has_ink):
        padded[k, BOX + top[k]:2 * BOX + top[k], BOX + left[k]:2 * BOX + left[k]] = scaled[k]
    return padded[:, BOX:BOX + FIELD, BOX:BOX + FIELD]


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
