"""Blobs of ink into digit candidates: pieces joined, boxes, crops, letters in words."""
from __future__ import annotations

import cv2
import numpy as np


def join_pieces(stats: np.ndarray, loose: np.ndarray | None = None) -> np.ndarray:
    """Group ids: a small piece joins the larger component it sits over or under
    (the detached flag of a 5, the open top of a 4), never a similar-sized neighbour.
    Components flagged ``loose`` join nothing as pieces."""
    n = len(stats)
    group = np.arange(n)
    if n < 2:
        return group
    x, y, w, h = (stats[:, i].astype(float) for i in range(4))
    area = stats[:, 4].astype(float)
    pieces, hosts = [], []
    for piece, host in _side_by_side(x, w, 0.0):
        overlap_x = np.minimum(x[piece] + w[piece], x[host] + w[host]) - np.maximum(x[piece], x[host])
        gap_y = np.maximum(y[piece], y[host]) - np.minimum(y[piece] + h[piece], y[host] + h[host])
        joins = ((area[piece] < 0.35 * area[host]) & (overlap_x >= 0.5 * np.minimum(w[piece], w[host]))
                 & (gap_y <= 0.12 * h[host]) & (h[host] >= h[piece]))
        if loose is not None:
            joins &= ~loose[piece]
        pieces.append(piece[joins])
        hosts.append(host[joins])
    piece, host = np.concatenate(pieces), np.concatenate(hosts)
    # Each piece joins its largest host (the first of equals).
    order = np.lexsort((host, -area[host], piece))
    piece, host = piece[order], host[order]
    first = np.concatenate([[True], piece[1:] != piece[:-1]]) if len(piece) else np.zeros(0, bool)
    group[piece[first]] = host[first]
    # Follow chains (piece -> piece -> host) to their root.
    for _ in range(3):
        group = group[group]
    return group


# A drawn box is hollow: its ink covers under this share of its bounding box (a 3-pixel
# pen round a 150x70 box: 0.2).
HOLLOW = 0.3
# Its outline is convex: a polygon fitted within this share of its perimeter.
OUTLINE_FIT = 0.04


def drawn_boxes(stats: np.ndarray, labels: np.ndarray, digit_height: int) -> np.ndarray:
    """Per component (statistics rows as OpenCV's, labels 1..N): whether it is drawn
    round other ink (a boxed answer, a form's field, a circled number, a sheet's edge
    seen whole): a hollow convex outline with a component at least ``digit_height``
    tall inside it. Its ink is no digit, and what it holds is no piece of it. (A 0 holds
    nothing that tall.)"""
    x, y, w, h, area = (stats[:, i] for i in range(5))
    maybe = np.flatnonzero((h >= 2 * digit_height) & (w >= 2 * digit_height) & (area < HOLLOW * w * h))
    boxes = np.zeros(len(stats), bool)
    for i in maybe:
        inside = ((x > x[i]) & (y > y[i]) & (x + w < x[i] + w[i]) & (y + h < y[i] + h[i]) & (h >= digit_height))
        if not inside.any():
            continue
        own = (labels[y[i]:y[i] + h[i], x[i]:x[i] + w[i]] == i + 1).astype(np.uint8)
        outlines, _ = cv2.findContours(own, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        outline = max(outlines, key=cv2.contourArea)
        polygon = cv2.approxPolyDP(outline, OUTLINE_FIT * cv2.arcLength(outline, True), True)
        boxes[i] = len(polygon) >= 4 and cv2.isContourConvex(polygon)
    return boxes


SMALL = 1 << 14  # pairs: below this many, every pair is taken


def _side_by_side(start: np.ndarray, length: np.ndarray, reach: float, of: np.ndarray | None = None,
                  most: int = 1 << 20):
    """(i, j) index pairs, i != j, that take in every two spans along one axis (starts
    and lengths) coming within ``reach`` of each other, i among ``of`` (default all), in
    batches of at most about ``most``. Found by sorting on the start, so a page of a few
    thousand letters costs pairs in the tens of thousands, not millions."""
    of = np.arange(len(start)) if of is None else of
    if len(of) * len(start) <= SMALL:  # a search costs more than it saves
        i, j = np.repeat(of, len(start)), np.tile(np.arange(len(start)), len(of))
        yield i[i != j], j[i != j]
        return
    # The search window must allow for the longest span it may meet: the few long ones
    # (touching letters, a long stroke) are paired with everything instead, so that
    # they do not widen every window.
    tenth = (len(length) * 9) // 10  # the 90th percentile, near enough
    typical = float(np.partition(length, tenth)[tenth]) if len(length) else 0.0
    is_long = length > 2 * typical
    long, short = np.flatnonzero(is_long), np.flatnonzero(~is_long)
    step = max(1, most // max(len(long), 1))
    for first in range(0, len(of) if len(long) else 0, step):
        i, j = np.repeat(of[first:first + step], len(long)), np.tile(long, len(of[first:first + step]))
        yield i[i != j], j[i != j]
    if len(short) == 0:
        return
    order = short[np.argsort(start[short], kind="stable")]
    starts = start[order]
    # j comes within reach of i only if start_j > start_i - reach - length_j
    # >= start_i - reach - (longest), and start_j <= start_i + length_i + reach.
    lo = np.searchsorted(starts, start[of] - reach - length[short].max(), side="left")
    hi = np.searchsorted(starts, start[of] + length[of] + reach, side="right")
    counts = hi - lo
    ends = np.cumsum(counts)
    first = 0
    while first < len(of):
        last = max(first + 1, int(np.searchsorted(ends, ends[first] - counts[first] + most, side="right")))
        i = np.repeat(of[first:last], counts[first:last])
        offsets = np.arange(len(i)) - np.repeat(ends[first:last] - counts[first:last] - (ends[first] - counts[first]), counts[first:last])
        j = order[np.repeat(lo[first:last], counts[first:last]) + offsets]
        yield i[i != j], j[i != j]
        first = last


# A word space in print is under 0.6 of the letters' height. With up to 128 candidates
# a frame, letters read as digits on 18 printed pages were 195 of 3528 without the
# spreading below, 84 spreading over letter spacing (0.35), 40 over word spaces (0.6);
# real-dev read the same at 0.35, 0.6 and 1.0.
WORD_SPACE = 0.6


def in_words(boxes: np.ndarray, keep: np.ndarray, darkness: np.ndarray | None = None, gap_share: float = 0.35,
             min_height_share: float = 0.3, same_ink: float = 0.6, word_space: float = WORD_SPACE,
             unknown: np.ndarray | None = None) -> np.ndarray:
    """Candidates with letter-sized ink beside them that is not itself a candidate.

    In print and handwriting alike, a letter that passes for a digit (l, g, O) stands
    within a letter's spacing of others too small or too odd to be digits (x-height
    letters, punctuation joined strokes). A digit in a number has digits beside it, and
    those are candidates too. The letters of a word share its ink: given each blob's
    darkness, a neighbour under ``same_ink`` of the candidate's (a shadow's edge, paper
    texture) is no letter. Candidates level with one found so, of its ink and about its
    height, within ``word_space`` of their height, are text too, and so on along the line.
    Blobs marked ``unknown`` (cut off by the frame's edge) are neither.
    """
    result = np.zeros(len(boxes), bool)
    if not keep.any() or keep.all():
        return result
    x, y, w, h = np.asarray(boxes, float).T
    centre = y + h / 2
    ink = darkness if darkness is not None else np.ones(len(boxes))  # one ink: no condition
    unknown = np.zeros(len(boxes), bool) if unknown is None else unknown
    letters, packed = [], []
    # Letters and word-mates stand level: only candidates (i) and boxes (j) whose rows
    # overlap are compared.
    for i, j in _side_by_side(y, h, 0.0, of=np.flatnonzero(keep)):
        gap = np.maximum(x[j] - (x[i] + w[i]), x[i] - (x[j] + w[j]))
        j_level = (centre[j] > y[i]) & (centre[j] < y[i] + h[i])
        beside = (~keep[j] & ~unknown[j] & j_level & (h[j] >= min_height_share * h[i]) & (gap <= gap_share * h[i])
                  & (ink[j] >= same_ink * ink[i]))
        letters.append(i[beside])
        # Text is letters throughout: candidates of about its height and ink, no further
        # from one in a word than a word space, are letters too (the P, r, e, s of
        # "Present" beside its small n, and "Any" beside "other").
        shorter, taller = np.minimum(h[i], h[j]), np.maximum(h[i], h[j])
        mates = (keep[j] & j_level & (centre[i] > y[j]) & (centre[i] < y[j] + h[j])
                 & (gap <= word_space * shorter) & (shorter >= 0.5 * taller)
                 & (np.minimum(ink[i], ink[j]) >= same_ink * np.maximum(ink[i], ink[j])))
        packed.append(np.stack([i[mates], j[mates]]))
    result[np.concatenate(letters)] = True
    return _spread(result, np.concatenate(packed, axis=1))


def _spread(flagged: np.ndarray, links: np.ndarray) -> np.ndarray:
    """Flags carried along links (2, L) of index pairs, both ways listed, to all they
    reach; each one is visited once, however long the line."""
    flagged = flagged.copy()
    if not flagged.any() or links.shape[1] == 0:
        return flagged
    order = np.argsort(links[0], kind="stable")
    rows, cols = links[0][order], links[1][order].tolist()
    first = np.searchsorted(rows, np.arange(len(flagged))).tolist()
    last = np.searchsorted(rows, np.arange(len(flagged)), side="right").tolist()
    pending = np.flatnonzero(flagged).tolist()
    while pending:
        i = pending.pop()
        for j in cols[first[i]:last[i]]:
            if not flagged[j]:
                flagged[j] = True
                pending.append(j)
    return flagged


def crop_of(dark: np.ndarray, labels: np.ndarray, box, own_labels, is_own: np.ndarray | None = None) -> np.ndarray:
    """The candidate's own ink (bright on black), other components blanked out.
    ``is_own``, a zeroed uint8 table over every label, saves making one per call for a
    candidate of several components (np.isin over the box costs ten times as much);
    it is left zeroed."""
    x, y, w, h = box
    region = labels[y:y + h, x:x + w]
    if len(own_labels) == 1:
        own = cv2.compare(region, int(own_labels[0]), cv2.CMP_EQ)
    else:
        is_own = np.zeros(int(labels.max()) + 1, np.uint8) if is_own is None else is_own
        is_own[own_labels] = 255
        own = is_own[region]
        is_own[own_labels] = 0
    # Keep the anti-aliased rim of the strokes, not just the thresholded core.
    own = cv2.dilate(own, _SQUARE3)
    return cv2.min(dark[y:y + h, x:x + w], own)


_SQUARE3 = np.ones((3, 3), np.uint8)
