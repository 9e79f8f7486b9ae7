"""Blobs of ink into digit candidates: pieces joined, boxes, crops, letters in words."""
from __future__ import annotations

import cv2
import numpy as np


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


# A word space in print is under 0.6 of the letters' height. With up to 128 candidates
# a frame, letters read as digits on 18 printed pages were 195 of 3528 without the
# spreading below, 84 spreading over letter spacing (0.35), 40 over word spaces (0.6);
# real-dev read the same at 0.35, 0.6 and 1.0.
WORD_SPACE = 0.6


def in_words(boxes: np.ndarray, keep: np.ndarray, darkness: np.ndarray | None = None, gap_share: float = 0.35,
             min_height_share: float = 0.3, same_ink: float = 0.6, word_space: float = WORD_SPACE) -> np.ndarray:
    """Candidates with letter-sized ink beside them that is not itself a candidate.

    In print and handwriting alike, a letter that passes for a digit (l, g, O) stands
    within a letter's spacing of others too small or too odd to be digits (x-height
    letters, punctuation joined strokes). A digit in a number has digits beside it, and
    those are candidates too. The letters of a word share its ink: given each blob's
    darkness, a neighbour under ``same_ink`` of the candidate's (a shadow's edge, paper
    texture) is no letter. Candidates level with one found so, of its ink and about its
    height, within ``word_space`` of their height, are text too, and so on along the line.
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
    letter = same_line & big_enough & near
    if darkness is not None:
        letter &= darkness[others][None] >= same_ink * darkness[idx][:, None]
    result[idx] = letter.any(axis=1)
    # Text is letters throughout: candidates of about its height and ink, no further
    # from one in a word than a word space, are letters too (the P, r, e, s of
    # "Present" beside its small n, and "Any" beside "other").
    centre = ki[:, 1] + ki[:, 3] / 2
    level = (centre[None] > ki[:, 1, None]) & (centre[None] < (ki[:, 1] + ki[:, 3])[:, None])
    gap = np.maximum(ki[:, 0][None] - (ki[:, 0] + ki[:, 2])[:, None], ki[:, 0, None] - (ki[:, 0] + ki[:, 2])[None])
    shorter, taller = np.minimum(ki[:, 3, None], ki[:, 3][None]), np.maximum(ki[:, 3, None], ki[:, 3][None])
    packed = level & level.T & (gap <= word_space * shorter) & (shorter >= 0.5 * taller)
    if darkness is not None:
        ink = darkness[idx]
        packed &= np.minimum(ink[:, None], ink[None]) >= same_ink * np.maximum(ink[:, None], ink[None])
    result[idx] = _spread(result[idx], packed)
    return result


def _spread(flagged: np.ndarray, linked: np.ndarray) -> np.ndarray:
    """Flags carried along the links (an n x n boolean matrix) to all they reach; each
    candidate is visited once, however long the line."""
    flagged = flagged.copy()
    rows, cols = np.nonzero(linked)
    neighbours = np.split(cols, np.searchsorted(rows, np.arange(1, len(flagged))))
    pending = np.flatnonzero(flagged).tolist()
    while pending:
        for j in neighbours[pending.pop()]:
            if not flagged[j]:
                flagged[j] = True
                pending.append(j)
    return flagged


def group_boxes(stats: np.ndarray, member_of: np.ndarray, groups: int) -> np.ndarray:
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


def crop_of(dark: np.ndarray, labels: np.ndarray, box, own_labels) -> np.ndarray:
    """The candidate's own ink (bright on black), other components blanked out."""
    x, y, w, h = box
    region = labels[y:y + h, x:x + w]
    if len(own_labels) == 1:
        own = cv2.compare(region, int(own_labels[0]), cv2.CMP_EQ)
    else:
        own = np.isin(region, own_labels).astype(np.uint8) * 255
    # Keep the anti-aliased rim of the strokes, not just the thresholded core.
    own = cv2.dilate(own, _SQUARE3)
    return cv2.min(dark[y:y + h, x:x + w], own)


_SQUARE3 = np.ones((3, 3), np.uint8)
