"""What is ink: how much darker than its own paper each pixel is, and how dark is enough.

The paper is estimated per colour channel; the darkest channel wins, so blue and red ink
and pencil stay visible on white or coloured paper, and dividing by the paper's
brightness removes shadows and uneven light. A grey frame (2-D) is its one channel.
"""
from __future__ import annotations

import functools

import cv2
import numpy as np

from .contract import histogram_levels


# Background darker than this share of the frame's bright paper is not paper (a desk,
# the floor, a dark border), and nothing on it counts as ink. Shadows on paper stay
# above it: their background is still lighter than that.
PAPER_SHARE = 0.45
# A sheet under a tenth of the frame shows as a brightest hundredth more than 1/0.8 times
# the brightest tenth (which is then the desk).
SMALL_SHEET = 0.8


# The paper's noise is measured on every SAMPLE_STEP-th pixel of every SAMPLE_STEP-th row.
SAMPLE_STEP = 4


def darkness_on_paper(bgr: np.ndarray, light_ink: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """How much darker than its local paper each pixel is (0-255), relative to the paper's
    brightness: a stroke in a shadow counts as much as the same stroke in full light;
    zero wherever the background is not paper. And where the frame is paper (non-zero)
    at the pixels dark[::SAMPLE_STEP, ::SAMPLE_STEP]."""
    if light_ink:
        bgr = cv2.bitwise_not(bgr)
    h, w = bgr.shape[:2]
    factor = max(1, int(round(min(h, w) / 120)))
    small = cv2.resize(bgr, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
    # Wider than the thickest marker stroke of the largest digit we accept.
    k = max(3, int(round(0.07 * min(h, w) / factor)) | 1)
    # A closing (max then min filter) erases strokes but keeps the edge of a shadow
    # where it is: a plain max filter would carry bright paper into the shadow.
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    paper = cv2.blur(paper, (3, 3))
    brightness = _brightest_channel(paper)
    # The paper is the brightest tenth of the frame, unless the sheet is less than that
    # (a note on a desk, seen from afar or at a slant): then the brightest hundredth is,
    # when it stands well above the tenth.
    bright_paper = max(_percentile(brightness, 90), SMALL_SHEET * _percentile(brightness, 99), 1.0)
    brightness = brightness.astype(np.float32)
    is_paper = _fill_holes(brightness >= PAPER_SHARE * bright_paper)
    # The rim of the paper, where the background estimate mixes paper and desk, is not
    # trusted either: its darkness is the desk's, not ink's.
    is_paper = cv2.erode(is_paper.astype(np.uint8), np.ones((5, 5), np.uint8))
    gain = np.where(is_paper > 0, 255.0 / np.maximum(brightness, 1.0), 0.0).astype(np.float32)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    gain = cv2.resize(gain, (w, h), interpolation=cv2.INTER_NEAREST)
    darkest = _brightest_channel(cv2.subtract(paper, bgr))
    return cv2.multiply(darkest, gain, dtype=cv2.CV_8U), _nearest_samples(is_paper, h, w)


def _nearest_samples(small: np.ndarray, h: int, w: int) -> np.ndarray:
    """What cv2.resize(small, (w, h), INTER_NEAREST)[::SAMPLE_STEP, ::SAMPLE_STEP] gives,
    without making the full-size map."""
    rows, cols = _nearest_indices(small.shape, h, w)
    return small[rows][:, cols]


@functools.lru_cache(maxsize=8)
def _nearest_indices(small_shape: tuple, h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows and columns of the small map that _nearest_samples takes; a camera's
    frames all have one size, so they are worked out once. OpenCV takes source pixel
    floor(x / (w / sw))."""
    sh, sw = small_shape
    rows = np.minimum(np.floor(np.arange(0, h, SAMPLE_STEP) * (1.0 / (h / sh))).astype(int), sh - 1)
    cols = np.minimum(np.floor(np.arange(0, w, SAMPLE_STEP) * (1.0 / (w / sw))).astype(int), sw - 1)
    return rows, cols


def _fill_holes(is_paper: np.ndarray) -> np.ndarray:
    """Dark patches enclosed by paper are on the paper (a thick marker stroke, a filled
    shape): only what reaches the frame's edge can be the desk around the sheet."""
    count, labels = cv2.connectedComponents((~is_paper).astype(np.uint8), connectivity=4)
    at_edge = np.zeros(count, bool)
    at_edge[0] = True  # the paper itself
    at_edge[labels[[0, -1], :]] = True
    at_edge[labels[:, [0, -1]]] = True
    return ~at_edge[labels] | is_paper


def _brightest_channel(bgr: np.ndarray) -> np.ndarray:
    """Per-pixel maximum over the colour channels of a colour image (OpenCV's is far
    faster than numpy's reduction over a short last axis); a grey image as it is."""
    if bgr.ndim == 2:
        return bgr
    b, g, r = cv2.split(bgr)
    return cv2.max(cv2.max(b, g), r)


def _percentile(values: np.ndarray, q: float) -> float:
    """numpy's default (linear) percentile, by partition rather than a full sort."""
    flat = values.ravel()
    position = q / 100 * (flat.size - 1)
    lo = int(position)
    hi = min(lo + 1, flat.size - 1)
    part = np.partition(flat, [lo, hi])
    below, above = float(part[lo]), float(part[hi])
    return below + (above - below) * (position - lo)


# A stroke must be this many times darker than the median darkness around it. Strokes
# cover well under half of any neighbourhood, so the median is the paper's own texture:
# low on clean paper, where faint strokes pass; high on leather, cardboard fibre or a
# noisy sensor, where only real ink does.
CLUTTER_FACTOR = 3.0


def paper_noise(dark: np.ndarray, on_paper: np.ndarray) -> tuple[int, float] | None:
    """(median, sigma) of the paper's darkness where ``on_paper`` (at
    dark[::SAMPLE_STEP, ::SAMPLE_STEP]) is non-zero: its median and its median absolute
    deviation scaled to a standard deviation, plus one level of quantisation. None when
    the frame shows no paper."""
    # Paper exactly as bright as its estimate counts too: on a clean scan or a digital
    # image that is nearly all of it, and its noise is nil.
    samples = dark[::SAMPLE_STEP, ::SAMPLE_STEP][on_paper > 0]
    if samples.size == 0:
        return None
    histogram = np.bincount(samples, minlength=256)
    median = _middle(histogram)
    above = histogram[median:]
    below = histogram[median::-1]
    deviations = np.zeros(256, np.int64)
    deviations[: len(above)] += above
    deviations[1: len(below)] += below[1:]
    return median, 1.4826 * _middle(deviations) + 1.0


# Above this sensor noise (darkness levels; clean paper in real-dev is 1-9), a dim or
# high-gain frame is smoothed before its ink is measured: a 3x3 mean cuts pixel noise to
# a third, while a stroke 3 px wide keeps its core. Smoothed per colour channel, before
# the darkest is taken: the darkest of three noisy channels is biased dark everywhere.
NOISY_PAPER = 12.0


def quiet_darkness(image: np.ndarray, light_ink: bool = False):
    """(dark, on_paper, noise): darkness_on_paper of the frame, smoothed first when its
    paper shows sensor noise above NOISY_PAPER, and the paper_noise of the result."""
    dark, on_paper = darkness_on_paper(image, light_ink)
    noise = paper_noise(dark, on_paper)
    if noise is None or noise[1] <= NOISY_PAPER:
        return dark, on_paper, noise
    dark, on_paper = darkness_on_paper(cv2.blur(image, (3, 3)), light_ink)
    return dark, on_paper, paper_noise(dark, on_paper)


def ink_levels(dark: np.ndarray, s, on_paper: np.ndarray, noise: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel (low, high) darkness thresholds. A stroke is the pixels above low that
    are connected to at least one pixel above high (hysteresis): faint pencil and thin
    ballpoint stay whole, while texture that never gets dark is dropped. The paper's
    noise is measured where ``on_paper`` (at dark[::SAMPLE_STEP, ::SAMPLE_STEP]) is
    non-zero, unless given (``noise``, as paper_noise returns it)."""
    if noise is None:
        noise = paper_noise(dark, on_paper)
    if noise is None:
        full = np.full(dark.shape, 255, np.uint8)
        return full, full
    median, sigma = noise
    if s.threshold == "otsu":
        samples = dark[::SAMPLE_STEP, ::SAMPLE_STEP][on_paper > 0]
        level, _ = cv2.threshold(samples.reshape(1, -1), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        low = max(level, s.min_contrast * 0.5)
    else:
        low = max(median + s.noise_sigmas * sigma, s.min_contrast * 0.5)
    h, w = dark.shape
    # The texture map is coarse (about 60 cells on the short side): medians over large
    # windows are costly, and real-dev reads the same at twice this resolution.
    factor = max(1, int(round(min(h, w) / 60)))
    small = cv2.resize(dark, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
    k = max(3, int(round(0.1 * min(h, w) / factor)) | 1)
    # A frame-filling marker digit can cover most of one window; over a window three
    # times wider it cannot, while texture is as dense at either size: take the lower.
    wide = min(3 * k, (min(small.shape[:2]) - 1) | 1)
    clutter = cv2.min(cv2.medianBlur(small, k), cv2.medianBlur(small, max(k, wide))).astype(np.float32)
    low_map = np.maximum(clutter * CLUTTER_FACTOR, low)
    high_map = np.maximum(low_map * 1.6, s.min_contrast)
    # Thresholds vary slowly: computed small, then spread to full size.
    to_full = lambda m: cv2.resize(np.clip(m, 0, 255).astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR)
    return to_full(low_map), to_full(high_map)


def _middle(histogram: np.ndarray) -> int:
    """The median value counted by a histogram."""
    return int(histogram_levels(histogram[None], 0.5)[0])
