"""Locate digit candidates in a frame.

1. Work at a resolution where digits are neither tiny nor huge.
2. Ink darkness: per colour channel, estimate the paper (a max filter wider than any
   stroke, on a downscaled copy) and subtract the pixel; keep the darkest channel.
   This removes shadows and uneven light, and keeps blue and red ink and pencil
   visible on white or coloured paper.
3. Threshold darkness against the frame's paper noise ("adaptive", with hysteresis so
   faint pencil strokes attached to darker ones survive) or by Otsu.
4. Remove long straight lines (ruled, grid and table lines, paper edges).
5. Connected components; join small pieces to the digit they belong to; filter by
   size, aspect, ink density and contrast; cap the count.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from . import deskew, split


@dataclass(frozen=True)
class LocateSettings:
    threshold: str = "adaptive"  # "adaptive" (against paper noise) or "otsu"
    ink: str = "dark"  # "dark" ink on light paper, or "light" ink on a dark board
    min_height: int = 12  # pixels at working resolution
    max_height: float = 0.9  # fraction of the frame's height
    min_aspect: float = 0.06  # width / height: a thin 1
    max_aspect: float = 1.7  # a flat 2 or a wide 0; wider blobs are split or dropped
    min_density: float = 0.06  # ink pixels / box area
    max_density: float = 0.92
    min_contrast: float = 28.0  # grey levels between a candidate's ink and its paper
    relative_contrast: float = 0.35  # of the frame's typical candidate contrast
    noise_sigmas: float = 5.0
    drop_border: bool = False  # drop blobs that touch the frame's edge
    roi: tuple | None = None  # (x, y, w, h) in frame pixels
    max_candidates: int = 48
    work_min_side: int = 480  # smaller frames are upscaled to this
    work_max_side: int = 1280  # larger frames are downscaled to this


@dataclass
class Candidates:
    """Digit candidates. A wide blob may come as several alternative readings (whole,
    or split into parts): candidates sharing a ``group`` are alternatives, and those
    sharing a (group, option) pair are read together."""

    boxes: np.ndarray  # (N, 4) int x, y, w, h in frame pixels
    crops: list  # N greyscale crops, ink bright on black, for the contract
    groups: np.ndarray  # (N,) int
    options: np.ndarray  # (N,) int, 0 for the whole blob
    scale: float = 1.0  # working resolution / frame resolution
    darkness: np.ndarray | None = field(default=None, repr=False)
    # Boxes on the page turned upright (working pixels): reading order is built on these.
    upright_boxes: np.ndarray | None = None
    angle: float = 0.0  # tilt of the writing that was undone, degrees

    @classmethod
    def empty(cls, scale: float = 1.0, darkness=None) -> "Candidates":
        return cls(np.zeros((0, 4), int), [], np.zeros(0, int), np.zeros(0, int), scale, darkness, np.zeros((0, 4)))


@dataclass
class _Found:
    boxes: np.ndarray
    crops: list
    groups: np.ndarray
    options: np.ndarray
    dark: np.ndarray

    @classmethod
    def empty(cls, dark) -> "_Found":
        return cls(np.zeros((0, 4), int), [], np.zeros(0, int), np.zeros(0, int), dark)


def to_bgr(image: np.ndarray) -> np.ndarray:
    """Any frame (grey, BGR, BGRA; uint8 or uint16) as 3-channel uint8."""
    if image.dtype != np.uint8:
        image = (image >> 8).astype(np.uint8) if image.dtype == np.uint16 else np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.shape[2] == 1:
        return cv2.cvtColor(image[..., 0], cv2.COLOR_GRAY2BGR)
    return image


def working_scale(height: int, width: int, s: LocateSettings) -> float:
    long_side, short_side = max(height, width), min(height, width)
    if long_side > s.work_max_side:
        return s.work_max_side / long_side
    if short_side < s.work_min_side:
        return min(s.work_min_side / short_side, s.work_max_side / long_side)
    return 1.0


# Background darker than this share of the frame's bright paper is not paper (a desk,
# the floor, a dark border), and nothing on it counts as ink. Shadows on paper stay
# above it: their background is still lighter than that.
PAPER_SHARE = 0.45


def ink_darkness(bgr: np.ndarray, light_ink: bool = False) -> np.ndarray:
    """How much darker than its local paper each pixel is (0-255), relative to the paper's
    brightness: a stroke in a shadow counts as much as the same stroke in full light.
    Zero wherever the background is not paper."""
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
    brightness = paper.max(axis=2).astype(np.float32)
    bright_paper = max(float(np.percentile(brightness, 90)), 1.0)
    is_paper = brightness >= PAPER_SHARE * bright_paper
    # The rim of the paper, where the background estimate mixes paper and desk, is not
    # trusted either: its darkness is the desk's, not ink's.
    is_paper = cv2.erode(is_paper.astype(np.uint8), np.ones((5, 5), np.uint8))
    gain = np.where(is_paper > 0, 255.0 / np.maximum(brightness, 1.0), 0.0).astype(np.float32)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    gain = cv2.resize(gain, (w, h), interpolation=cv2.INTER_NEAREST)
    diff = cv2.subtract(paper, bgr)
    b, g, r = cv2.split(diff)
    darkest = cv2.max(cv2.max(b, g), r)
    return cv2.multiply(darkest, gain, dtype=cv2.CV_8U)


# A stroke must be this many times darker than the median darkness around it. Strokes
# cover well under half of any neighbourhood, so the median is the paper's own texture:
# low on clean paper, where faint strokes pass; high on leather, cardboard fibre or a
# noisy sensor, where only real ink does.
CLUTTER_FACTOR = 3.0


def ink_levels(dark: np.ndarray, s: LocateSettings) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel (low, high) darkness thresholds. A stroke is the pixels above low that
    are connected to at least one pixel above high (hysteresis): faint pencil and thin
    ballpoint stay whole, while texture that never gets dark is dropped."""
    on_paper = dark[::4, ::4]
    on_paper = on_paper[on_paper > 0]
    if on_paper.size == 0:
        full = np.full(dark.shape, 255, np.uint8)
        return full, full
    if s.threshold == "otsu":
        level, _ = cv2.threshold(on_paper.reshape(1, -1), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        low = max(level, s.min_contrast * 0.5)
    else:
        median = _middle(on_paper)
        sigma = 1.4826 * _middle(np.abs(on_paper.astype(np.int16) - int(median))) + 1.0
        low = max(median + s.noise_sigmas * sigma, s.min_contrast * 0.5)
    h, w = dark.shape
    factor = max(1, int(round(min(h, w) / 120)))
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


def _middle(values: np.ndarray) -> float:
    k = len(values) // 2
    return float(np.partition(values, k)[k])


# A straight run longer than this share of the frame's longer side is a ruled, grid or
# table line or a paper edge, never a digit stroke (a digit is at most a third of the
# frame tall, and its strokes are shorter still).
LINE_SHARE = 0.3


def remove_lines(mask: np.ndarray) -> np.ndarray:
    """Erase long straight lines at any angle, as thin bands: the strokes of a digit that
    a line crosses keep their pixels on either side of it."""
    h, w = mask.shape
    step = 2 if min(h, w) > 400 else 1
    small = mask[::step, ::step]
    length = int(LINE_SHARE * max(h, w) / step)
    # Only ink that spans a line's length can hold a line: most frames have none, and
    # then the (costly) Hough transform is skipped.
    count, labels, stats, _ = cv2.connectedComponentsWithStats(small, connectivity=8)
    long_enough = np.flatnonzero(np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) >= length) + 1
    if len(long_enough) == 0:
        return mask
    lut = np.zeros(count, np.uint8)
    lut[long_enough] = 255
    small = lut[labels]
    segments = cv2.HoughLinesP(small, 1, np.pi / 360, threshold=max(10, length // 2),
                               minLineLength=length, maxLineGap=max(2, length // 40))
    if segments is None:
        return mask
    lines = np.zeros_like(mask)
    for x0, y0, x1, y1 in segments.reshape(-1, 4):
        if _thickness(small, (x0, y0), (x1, y1)) <= THIN_LINE:
            cv2.line(lines, (int(x0) * step, int(y0) * step), (int(x1) * step, int(y1) * step), 255, 2 * step + 1)
    return cv2.bitwise_and(mask, cv2.bitwise_not(lines))


# Ruled and grid lines are a few pixels thick; a long straight stroke of a big marker
# digit is far thicker, and Hough finds "lines" inside it too. Only thin ones go.
THIN_LINE = 4  # pixels, at the (half) resolution lines are searched at


def _thickness(mask: np.ndarray, start, end, samples: int = 40, reach: int = 12) -> float:
    """Median length of the ink run across the segment, measured at points along it."""
    p0, p1 = np.asarray(start, float), np.asarray(end, float)
    direction = (p1 - p0) / max(np.hypot(*(p1 - p0)), 1e-9)
    normal = np.array([-direction[1], direction[0]])
    along = p0 + np.linspace(0.05, 0.95, samples)[:, None] * (p1 - p0)
    offsets = np.arange(-reach, reach + 1)
    points = np.rint(along[:, None, :] + offsets[None, :, None] * normal).astype(int)
    h, w = mask.shape
    inside = (points[..., 0] >= 0) & (points[..., 0] < w) & (points[..., 1] >= 0) & (points[..., 1] < h)
    ink = np.zeros(points.shape[:2], bool)
    ink[inside] = mask[points[..., 1][inside], points[..., 0][inside]] > 0
    # The run through the middle: count inked offsets outward from the centre until a gap.
    centre = reach
    left = np.argmin(np.concatenate([ink[:, centre::-1], np.zeros((samples, 1), bool)], axis=1), axis=1)
    right = np.argmin(np.concatenate([ink[:, centre:], np.zeros((samples, 1), bool)], axis=1), axis=1)
    runs = np.where(ink[:, centre], left + right - 1, 0)
    return float(np.median(runs))


def join_pieces(stats: np.ndarray) -> np.ndarray:
    """Group ids: a small piece joins the larger component it sits over or under
    (the detached flag of a 5, the open top of a 4), never a similar-sized neighbour."""
    n = len(stats)
    group = np.arange(n)
    if n < 2:
        return group
    x, y, w, h = (stats[:, i].astype(float) for i in range(4))
    area = stats[:, 4].astype(float)
    overlap_x = np.minimum(x[:, None] + w[:, None], x[None] + w[None]) - np.maximum(x[:, None], x[None])
    gap_y = np.maximum(y[:, None], y[None]) - np.minimum(y[:, None] + h[:, None], y[None] + h[None])
    piece_is_small = area[:, None] < 0.35 * area[None]
    over = overlap_x >= 0.5 * np.minimum(w[:, None], w[None])
    close = gap_y <= 0.12 * h[None]
    tall_enough = h[None] >= h[:, None]
    joins = piece_is_small & over & close & tall_enough
    np.fill_diagonal(joins, False)
    for piece in np.flatnonzero(joins.any(axis=1)):
        hosts = np.flatnonzero(joins[piece])
        group[piece] = hosts[np.argmax(area[hosts])]
    # Follow chains (piece -> piece -> host) to their root.
    for _ in range(3):
        group = group[group]
    return group


class Locator:
    def __init__(self, settings: LocateSettings = LocateSettings()):
        self.s = settings

    def locate(self, image: np.ndarray) -> Candidates:
        s = self.s
        bgr = to_bgr(image)
        offset = np.zeros(2, int)
        if s.roi:
            x, y, w, h = (int(v) for v in s.roi)
            x, y = max(0, x), max(0, y)
            bgr = bgr[y:y + h, x:x + w]
            offset = np.array([x, y])
        scale = working_scale(*bgr.shape[:2], s)
        h, w = bgr.shape[:2]
        size = (int(round(w * scale)), int(round(h * scale)))
        if min(size) < 8:  # a sliver of a frame: nothing a digit could fit in
            return Candidates.empty(scale)
        work = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR) if scale != 1 else bgr
        found = self._find(work)
        boxes = upright_boxes = found.boxes
        angle = deskew.text_angle(found.boxes[found.options == 0]) if len(found.boxes) else 0.0
        if abs(angle) >= deskew.MIN_ANGLE:
            upright, to_work = deskew.rotate(work, angle)
            found = self._find(upright)
            upright_boxes = found.boxes
            boxes = deskew.map_boxes(found.boxes, to_work)
        if not found.crops:
            return Candidates.empty(scale, found.dark)
        frame_boxes = np.round(np.asarray(boxes, float) / scale).astype(int)
        frame_boxes[:, :2] += offset
        frame_boxes[:, 2:] = np.maximum(frame_boxes[:, 2:], 1)
        return Candidates(frame_boxes, found.crops, found.groups, found.options, scale, found.dark,
                          upright_boxes=np.asarray(upright_boxes, float), angle=angle if abs(angle) >= deskew.MIN_ANGLE else 0.0)

    def _find(self, work: np.ndarray) -> "_Found":
        """Candidates in a working image, in its own pixels."""
        s = self.s
        dark = ink_darkness(work, light_ink=s.ink == "light")
        low, high = ink_levels(dark, s)
        mask = remove_lines(cv2.compare(dark, low, cv2.CMP_GE))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        inked = mask > 0
        ink_labels, ink_darkness_values = labels[inked], dark[inked]
        has_strong = np.bincount(ink_labels[ink_darkness_values >= high[inked]], minlength=count)[1:] > 0
        stats = stats[1:]
        # Specks cannot be digits nor parts worth joining.
        alive = np.flatnonzero((stats[:, cv2.CC_STAT_AREA] >= max(4, (s.min_height // 6) ** 2)) & has_strong)
        if len(alive) == 0:
            return _Found.empty(dark)
        group = join_pieces(stats[alive])
        roots, member_of = np.unique(group, return_inverse=True)
        boxes = _group_boxes(stats[alive], member_of, len(roots))
        darkness_sum = np.bincount(ink_labels, weights=ink_darkness_values, minlength=count)[1:][alive]
        area = stats[alive, cv2.CC_STAT_AREA].astype(float)
        ink = np.bincount(member_of, weights=area, minlength=len(roots))
        darkness = np.bincount(member_of, weights=darkness_sum, minlength=len(roots)) / np.maximum(ink, 1)
        keep, density = self._filter(boxes, ink, darkness, work.shape)
        keep &= ~in_words(boxes, keep)
        order = np.argsort(-(darkness[keep] * density[keep].clip(0.1) * boxes[keep, 3]))[: s.max_candidates]
        chosen = np.flatnonzero(keep)[order]
        found = _Found.empty(dark)
        work_boxes, groups, options = [], [], []
        for group, i in enumerate(chosen):
            crop = _crop(dark, labels, boxes[i], alive[member_of == i] + 1)
            x, y, w, h = boxes[i]
            if w <= s.max_aspect * h:
                work_boxes.append(boxes[i]), found.crops.append(crop), groups.append(group), options.append(0)
            for option, spans in enumerate(split.propose(crop), start=1):
                for x0, x1 in spans:
                    part = crop[:, x0:x1]
                    rows = np.flatnonzero(part.any(axis=1))
                    if len(rows) == 0:
                        continue
                    work_boxes.append((x + x0, y + rows[0], x1 - x0, rows[-1] - rows[0] + 1))
                    found.crops.append(part[rows[0]:rows[-1] + 1])
                    groups.append(group)
                    options.append(option)
        if work_boxes:
            found.boxes = np.array(work_boxes, int)
            found.groups = np.array(groups)
            found.options = np.array(options)
        return found

    def _filter(self, boxes, ink, darkness, shape):
        s = self.s
        h_img, w_img = shape[:2]
        x, y, w, h = boxes.T
        density = ink / np.maximum(w * h, 1)
        aspect = w / np.maximum(h, 1)
        keep = (h >= s.min_height) & (h <= s.max_height * h_img)
        # Wider blobs stay if they may be touching digits that split.MAX_PARTS parts can hold.
        keep &= (aspect >= s.min_aspect) & (aspect <= s.max_aspect * split.MAX_PARTS)
        keep &= (density >= s.min_density) & (density <= s.max_density)
        # A filled blob (a hole punch, a shadow) is denser than any digit but a thin 1.
        keep &= ~((density > 0.8) & (aspect > 0.45))
        keep &= darkness >= s.min_contrast
        if s.drop_border:
            keep &= (x > 0) & (y > 0) & (x + w < w_img) & (y + h < h_img)
        if keep.any():
            typical = np.median(darkness[keep])
            keep &= darkness >= s.relative_contrast * typical
        return keep, density


def in_words(boxes: np.ndarray, keep: np.ndarray, gap_share: float = 0.35, min_height_share: float = 0.3) -> np.ndarray:
    """Candidates with letter-sized ink beside them that is not itself a candidate.

    In print and handwriting alike, a letter that passes for a digit (l, g, O) stands
    within a letter's spacing of others too small or too odd to be digits (x-height
    letters, punctuation joined strokes). A digit in a number has digits beside it, and
    those are candidates too.
    """
    result = np.zeros(len(boxes), bool)
    idx = np.flatnonzero(keep)
    others = np.flatnonzero(~keep)
    if len(idx) == 0 or len(others) == 0:
        return result
    b = boxes.astype(float)
    ki, ko = b[idx], b[others]
    centre_y = ko[:, 1] + ko[:, 3] / 2
    same_line = (centre_y[None] > ki[:, 1, None]) & (centre_y[None] < (ki[:, 1] + ki[:, 3])[:, None])
    big_enough = ko[:, 3][None] >= min_height_share * ki[:, 3, None]
    gap = np.maximum(ko[:, 0][None] - (ki[:, 0] + ki[:, 2])[:, None], ki[:, 0, None] - (ko[:, 0] + ko[:, 2])[None])
    near = gap <= gap_share * ki[:, 3, None]
    result[idx] = (same_line & big_enough & near).any(axis=1)
    return result


def _group_boxes(stats: np.ndarray, member_of: np.ndarray, groups: int) -> np.ndarray:
    """Union box (x, y, w, h) of each group of components."""
    x0 = np.full(groups, np.iinfo(np.int64).max)
    y0 = np.full(groups, np.iinfo(np.int64).max)
    x1 = np.zeros(groups, np.int64)
    y1 = np.zeros(groups, np.int64)
    np.minimum.at(x0, member_of, stats[:, 0])
    np.minimum.at(y0, member_of, stats[:, 1])
    np.maximum.at(x1, member_of, stats[:, 0] + stats[:, 2])
    np.maximum.at(y1, member_of, stats[:, 1] + stats[:, 3])
    return np.stack([x0, y0, x1 - x0, y1 - y0], axis=1).astype(int)


def _crop(dark: np.ndarray, labels: np.ndarray, box, own_labels) -> np.ndarray:
    """The candidate's own ink (bright on black), other components blanked out."""
    x, y, w, h = box
    region = labels[y:y + h, x:x + w]
    own = region == own_labels[0] if len(own_labels) == 1 else np.isin(region, own_labels)
    # Keep the anti-aliased rim of the strokes, not just the thresholded core.
    own = cv2.dilate(own.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    return np.where(own, dark[y:y + h, x:x + w], 0).astype(np.uint8)
