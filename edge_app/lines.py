"""Ruled, grid and table lines and paper edges: long, straight and thin, never digits."""
from __future__ import annotations

import cv2
import numpy as np

from .labelling import components


# A straight run longer than this share of the frame's longer side may be a ruled, grid
# or table line or a paper edge. Digits on a page are far smaller; a digit held close to
# the camera is not, and remove_lines tells its strokes from printed lines.
LINE_SHARE = 0.3


# Ink crossing a printed line is darker than the line: pixels on a line this much darker
# than the line's own median darkness are the digit's, and stay.
CROSSING_INK = 1.5
RULINGS = 3  # lines found before a frame counts as ruled or squared paper
FAINT_RULING = 0.5  # rulings at most this share of the writing's darkness are faint


def remove_lines(mask: np.ndarray, dark: np.ndarray | None = None, image: np.ndarray | None = None,
                 light_ink: bool = False) -> np.ndarray:
    """Erase long straight lines at any angle, as thin bands. A digit's stroke crossing a
    line keeps its pixels beside the line and, given the darkness image, on it too
    where the stroke is clearly darker than the line. Given the image (``light_ink``
    when its paper is the dark side), a paper's edge goes wherever it lies. On ruled
    or squared paper whose rulings are faint next to the writing, ink no darker than
    the rulings goes too."""
    h, w = mask.shape
    step = 2 if min(h, w) > 400 else 1
    # Max-pooled, not strided: striding would drop every other row of a 1-pixel line.
    small = cv2.dilate(mask, np.ones((step, step), np.uint8), anchor=(0, 0))[::step, ::step] if step > 1 else mask
    length = int(LINE_SHARE * max(h, w) / step)
    # Only ink that spans a line's length can hold a line: most frames have none, and
    # then the (costly) Hough transform is skipped.
    # Outer outlines are the cheapest way to the components' extents (a component inside
    # another's hole is shorter than it, so missing it changes nothing).
    outlines, _ = cv2.findContours(small, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not any(max(cv2.boundingRect(c)[2:]) >= length for c in outlines):
        return mask
    blobs = components(small)
    long_enough = np.flatnonzero(np.maximum(blobs.stats[:, 2], blobs.stats[:, 3]) >= length) + 1
    if len(long_enough) == 0:
        return mask
    lut = np.zeros(blobs.count, np.uint8)
    lut[long_enough] = 255
    small = lut[blobs.labels]
    # Thresholding leaves a faint printed line in dashes: bridge short gaps.
    segments = cv2.HoughLinesP(small, 1, np.pi / 360, threshold=max(10, length // 2),
                               minLineLength=length, maxLineGap=max(2, length // 12))
    if segments is None:
        return mask
    segments = segments.reshape(-1, 4)
    spans = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    thickness = thicknesses(small, segments)
    is_thin = thickness <= np.maximum(THIN_LINE, THIN_SHARE * spans)
    thin = [tuple(int(v) for v in s) for s in segments[is_thin]]
    widths = list(thickness[is_thin])
    # A paper's edge within the frame goes whole, with what the search misses of it.
    margin = EDGE_REACH * max(small.shape)
    reaches = [_reaches_edge(s, small.shape, margin) for s in thin]
    steps = [image is not None and not r and _is_paper_edge(s, t, step, image, light_ink)
             for s, t, r in zip(thin, widths, reaches)]
    ruled = _parallel(thin) >= RULINGS
    # Telling writing on a line takes a pass over the ink per line: on a ruled page, whose
    # lines are all printed anyway, only a paper's edge needs it.
    carries = [(st or not ruled) and _carries_writing(s, t, blobs) for s, t, st in zip(thin, widths, steps)]
    edge = [st and not c for st, c in zip(steps, carries)]
    # Printed lines say how dark the page's printing is (faint rulings, below).
    printed = [True] * len(thin)
    if not ruled:
        # Without a family of parallel rulings, a long stroke is as likely a close-up
        # digit's (a 1, the stem of a 7) as a printed line; a printed line runs on out
        # of the frame, or carries writing along it (a form's blank, an underline).
        # A paper's edge goes too, but it is no printed line.
        printed = [r or c for r, c in zip(reaches, carries)]
        chosen = [k for k in range(len(thin)) if printed[k] or edge[k]]
        thin, printed, widths, edge = ([v[k] for k in chosen] for v in (thin, printed, widths, edge))
    erase = np.zeros_like(mask)
    levels = []
    crossable = []  # the bands of printed lines, which strokes may cross
    width = 2 * step + 1
    for (x0, y0, x1, y1), is_printed, is_edge in zip(thin, printed, edge):
        # Each line is drawn in its own box, not in a frame-sized band: on a ruled page
        # at full working size that made the cost lines x frame (0.4 s a frame).
        (x0, y0), (x1, y1) = (x0 * step, y0 * step), (x1 * step, y1 * step)
        # A little past its ends, where the search stops short: a stub left at a
        # corner makes a "[" of the box wall it meets.
        reach = width / max(float(np.hypot(x1 - x0, y1 - y0)), 1.0)
        (x0, y0), (x1, y1) = ((int(round(x0 - reach * (x1 - x0))), int(round(y0 - reach * (y1 - y0)))),
                              (int(round(x1 + reach * (x1 - x0))), int(round(y1 + reach * (y1 - y0)))))
        left, top = max(0, min(x0, x1) - width), max(0, min(y0, y1) - width)
        right, bottom = min(w, max(x0, x1) + width + 1), min(h, max(y0, y1) + width + 1)
        band = np.zeros((bottom - top, right - left), np.uint8)
        cv2.line(band, (x0 - left, y0 - top), (x1 - left, y1 - top), 255, width)
        on_line = (band > 0) & (mask[top:bottom, left:right] > 0)
        if dark is not None and on_line.any():
            dark_here = dark[top:bottom, left:right]
            line_level = float(np.median(dark_here[on_line]))
            on_line &= dark_here < CROSSING_INK * line_level
            if is_printed:
                levels.append(line_level)
        erase[top:bottom, left:right][on_line] = 255
        if not is_edge:
            crossable.append((abs(y1 - y0) > abs(x1 - x0), top, left, band))
    erase = _keep_crossings(mask, erase, crossable, width)
    edges = [(segment, width) for segment, width, is_edge in zip(thin, widths, edge) if is_edge]
    if edges:
        erase |= _paper_edge_remnants(edges, blobs, (w, h))
    mask = cv2.bitwise_and(mask, cv2.bitwise_not(erase))
    if len(levels) >= RULINGS:
        # Ink no darker than faint printed rulings cannot be told from their fragments.
        # Dark lines (a paper edge, black rules) are not faint and change nothing.
        ruling = float(np.median(levels))
        writing = float(np.percentile(dark[mask > 0], 95)) if mask.any() else 0.0
        if ruling <= FAINT_RULING * writing:
            mask = cv2.bitwise_and(mask, cv2.compare(dark, int(CROSSING_INK * ruling), cv2.CMP_GE))
    return mask


def _keep_crossings(mask: np.ndarray, erase: np.ndarray, crossable: list, width: int) -> np.ndarray:
    """Take back from ``erase`` the ink of a stroke crossing a printed line inside the
    line's band (``crossable``: per line, whether it runs more along the columns than
    the rows, and its band drawn in a box at top, left). A thin pencil stroke is no
    darker than the grid it crosses, and cut at every line it would fall apart into
    pieces.

    A crossing is ink running on across the line, on both sides of the band, at least
    ``width`` long: what the line's own ragged rim leaves beside the band, specks, and
    show-through above a ruling are shorter. It is bridged across the line only: along
    it, two strokes that merely touch the line (a digit's foot) would get the line
    between them back. Where two lines meet nothing is left around to bridge, so no
    grid point stays behind as a speck. A stroke crossing at over about 45 degrees from
    the line's normal stays cut."""
    span = 3 * width  # the band, drawn a pixel or two wider than ``width``, with room to spare
    kept = None
    for along_columns, run, across in ((False, (width, 1), (span, 1)), (True, (1, width), (1, span))):
        family = [(top, left, band) for columns, top, left, band in crossable if columns == along_columns]
        if not family:
            continue
        if kept is None:
            kept = cv2.bitwise_and(mask, cv2.bitwise_not(erase))
        # The family's bands on a canvas of the box that holds them, with room to bridge.
        top = max(0, min(t for t, _, _ in family) - span)
        left = max(0, min(x for _, x, _ in family) - span)
        bottom = min(mask.shape[0], max(t + b.shape[0] for t, _, b in family) + span)
        right = min(mask.shape[1], max(x + b.shape[1] for _, x, b in family) + span)
        bands = np.zeros((bottom - top, right - left), np.uint8)
        for t, x, band in family:
            bands[t - top:t - top + band.shape[0], x - left:x - left + band.shape[1]] |= band
        region = (slice(top, bottom), slice(left, right))
        runs_on = cv2.morphologyEx(kept[region], cv2.MORPH_OPEN, np.ones(run, np.uint8))
        bridged = cv2.morphologyEx(runs_on, cv2.MORPH_CLOSE, np.ones(across, np.uint8),
                                   borderType=cv2.BORDER_CONSTANT, borderValue=0)
        crossing = cv2.bitwise_and(cv2.bitwise_and(bridged, bands), mask[region])
        erase[region] = cv2.bitwise_and(erase[region], cv2.bitwise_not(crossing))
    return erase


def _parallel(segments: list) -> int:
    """The most distinct lines sharing one direction (Hough returns a line in pieces).
    Rulings and grids come in parallel families; a digit's long strokes do not."""
    if not segments:
        return 0
    x0, y0, x1, y1 = np.asarray(segments, float).T
    angles = np.arctan2(y1 - y0, x1 - x0) % np.pi
    offsets = x0 * np.sin(angles) - y0 * np.cos(angles)
    # A piece is a new line unless an earlier line has its direction and offset.
    kept = np.zeros(len(segments), bool)
    for i in range(len(segments)):
        earlier = np.flatnonzero(kept[:i])
        same = _same_direction(angles[i], angles[earlier]) & (np.abs(offsets[i] - offsets[earlier]) < SAME_OFFSET)
        kept[i] = not same.any()
    lines = angles[kept]
    return int(_same_direction(lines[:, None], lines[None, :]).sum(axis=1).max())


def _same_direction(a, b):
    return np.minimum(np.abs(a - b), np.pi - np.abs(a - b)) < SAME_ANGLE


SAME_ANGLE = np.radians(3.0)
SAME_OFFSET = 4.0  # pixels at the resolution lines are searched at
EDGE_REACH = 0.05  # of the frame's longer side: a line ending this close runs out of view


# Writing on a line rises from it by at most this share of the line's length: two or
# more digits side by side. A digit's own long stroke has the rest of the digit reaching
# further: a 7's stem below its bar, a 2's curve above its base.
WRITING_RISE = 0.5


def _carries_writing(segment, thickness: float, blobs) -> bool:
    """Whether the ink joined to a straight segment stands off it (writing touching it)
    but by less than WRITING_RISE of its length (so no digit's own stroke)."""
    x0, y0, x1, y1 = segment
    length = float(np.hypot(x1 - x0, y1 - y0))
    along = np.linspace(0.0, 1.0, 9)
    px, py = np.rint(x0 + along * (x1 - x0)).astype(int), np.rint(y0 + along * (y1 - y0)).astype(int)
    on_it = blobs.labels[py, px]
    on_it = on_it[on_it > 0]
    if len(on_it) == 0:
        return False
    own = blobs.pixel_labels == np.bincount(on_it).argmax()
    normal = np.array([y0 - y1, x1 - x0], float) / max(length, 1.0)
    offsets = (blobs.xs[own] - x0) * normal[0] + (blobs.ys[own] - y0) * normal[1]
    rise = float(offsets.max() - offsets.min())
    return 3 * max(thickness, 1.0) < rise <= WRITING_RISE * length


# A paper's edge on a desk is a step: beside its line the background on one side is under
# this share of the other's. A stroke has paper on both sides. (A desk below PAPER_SHARE
# of the paper gets no ink at all; above it, the paper's estimate spreads over the desk
# by a few pixels and draws the edge as a line.)
PAPER_STEP = 0.8


def _is_paper_edge(segment, thickness: float, step: int, image: np.ndarray, light_ink: bool) -> bool:
    """Whether the background beside a segment (at the search's resolution, ``step``
    times smaller than the image) steps down across it."""
    x0, y0, x1, y1 = (v * step for v in segment)
    length = max(float(np.hypot(x1 - x0, y1 - y0)), 1.0)
    normal = np.array([y0 - y1, x1 - x0], float) / length
    along = np.linspace(0.1, 0.9, 17)
    px, py = x0 + along * (x1 - x0), y0 + along * (y1 - y0)
    h, w = image.shape[:2]
    beside = (thickness / 2 + 2) * step + 2  # clear of the line's band
    sides = []
    for sign in (1, -1):
        qx = np.clip(np.rint(px + sign * beside * normal[0]).astype(int), 0, w - 1)
        qy = np.clip(np.rint(py + sign * beside * normal[1]).astype(int), 0, h - 1)
        values = image[qy, qx].astype(float)
        brightness = values.max(axis=-1) if values.ndim == 2 else values
        sides.append(float(np.median(255 - brightness if light_ink else brightness)))
    return min(sides) < PAPER_STEP * max(sides)


# A component lying mostly along a paper's edges is that edge: what the bands missed of
# it (a corner, a warped stretch) goes with them, or a digit would join it as a piece.
EDGE_SHARE = 0.5


def _paper_edge_remnants(edges: list, blobs, size: tuple) -> np.ndarray:
    """The whole components (at the search's resolution, shown at ``size``) that lie
    mostly along the ``edges`` (segment, thickness) pairs."""
    along = np.zeros(blobs.labels.shape, np.uint8)
    for (x0, y0, x1, y1), width in edges:
        # As wide as the edge's band, and a pixel more each side: the closing that
        # estimates the paper rounds its corners, and the search follows the middle.
        cv2.line(along, (x0, y0), (x1, y1), 255, int(np.ceil(width)) + 2)
    on_edges = np.bincount(blobs.labels[along > 0], minlength=blobs.count)
    area = np.concatenate([[0], blobs.stats[:, 4]])
    edge_like = (on_edges >= EDGE_SHARE * np.maximum(area, 1)) & (area > 0)
    edge_like[0] = False
    lut = np.where(edge_like, 255, 0).astype(np.uint8)
    return cv2.resize(lut[blobs.labels], size, interpolation=cv2.INTER_NEAREST)


def _reaches_edge(segment, shape, margin: float) -> bool:
    h, w = shape
    x0, y0, x1, y1 = segment
    return min(x0, y0, x1, y1, w - 1 - x0, w - 1 - x1, h - 1 - y0, h - 1 - y1) <= margin


# Ruled and grid lines are thin for their length; a long straight stroke of a big marker
# digit is far thicker (a stroke is about a tenth of its digit's height, and no straight
# run is longer than the digit), and Hough finds "lines" inside it too. Only thin ones
# go. Close up, a ruling is thicker in pixels but as thin for its length.
THIN_LINE = 4  # pixels, at the (half) resolution lines are searched at
THIN_SHARE = 0.03  # of the segment's length


def thicknesses(mask: np.ndarray, segments: np.ndarray, samples: int = 40, reach: int = 12) -> np.ndarray:
    """Per segment (x0, y0, x1, y1), the median length of the ink run across it,
    measured at points along it."""
    p0, p1 = segments[:, None, :2].astype(float), segments[:, None, 2:].astype(float)
    direction = (p1 - p0) / np.maximum(np.hypot(*np.moveaxis(p1 - p0, -1, 0)), 1e-9)[..., None]
    normal = np.concatenate([-direction[..., 1:], direction[..., :1]], axis=-1)
    along = p0 + np.linspace(0.05, 0.95, samples)[None, :, None] * (p1 - p0)
    offsets = np.arange(-reach, reach + 1)
    points = np.rint(along[:, :, None, :] + offsets[None, None, :, None] * normal[:, :, None, :]).astype(int)
    h, w = mask.shape
    inside = (points[..., 0] >= 0) & (points[..., 0] < w) & (points[..., 1] >= 0) & (points[..., 1] < h)
    ink = np.zeros(points.shape[:3], bool)
    ink[inside] = mask[points[..., 1][inside], points[..., 0][inside]] > 0
    # The run through the middle: count inked offsets outward from the centre until a gap.
    centre = reach
    gap = np.zeros(ink.shape[:2] + (1,), bool)
    left = np.argmin(np.concatenate([ink[:, :, centre::-1], gap], axis=2), axis=2)
    right = np.argmin(np.concatenate([ink[:, :, centre:], gap], axis=2), axis=2)
    runs = np.where(ink[:, :, centre], left + right - 1, 0)
    return np.median(runs, axis=1)
