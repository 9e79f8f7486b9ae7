"""A sheet seen at an angle: find its four corners and flatten it.

A phone held at a slant sees a rectangular sheet as a quadrilateral: its far digits
shrink, lean and crowd together, and the text lines converge. When the paper (the
ink measure's paper mask) is one convex quadrilateral, cut by the frame along one side
at most, the sheet is warped flat before its digits are cut out, as a document scanner
does. A sheet that runs out of the frame further, or lies flat and square to the
camera, is left as it is; one that is merely turned is left to deskew, which follows the writing.
"""
from __future__ import annotations

import cv2
import numpy as np

ALONG_SIDE = 0.5  # of a side of the frame: paper running along it, not meeting it at a corner
MIN_SHEET = 0.1  # of the frame's area: smaller paper is a label or a sticker, not worth it
FIT = 0.02  # of the outline's length: how closely four corners must follow it
# A sheet seen square on has facing sides of one length and one direction (turned, it is
# deskew's). In perspective one pair converges: lengths differ by more than this share...
CONVERGE_LENGTH = 0.08
CONVERGE_DEGREES = 4.0  # ...or directions by more than this.
MARGIN = 0.04  # of the sheet's size, kept round it when flattened
# Turned further than this, which side is up is unclear: deskew follows the writing.
MAX_TURN = 30.0


def sheet_corners(paper: np.ndarray, step: int) -> np.ndarray | None:
    """(4, 2) float corners (top left, top right, bottom right, bottom left) of the
    sheet, in the pixels of the image whose every ``step``-th pixel ``paper`` (non-zero
    where the frame is paper) samples; None unless the paper is one quadrilateral in
    perspective with at most two corners on the frame's edge."""
    h, w = paper.shape
    # Paper along three sides of the frame runs out of it (most frames: a page filling
    # the view); this costs microseconds, the outline search ten times more. (A sheet
    # cut along one side meets the two beside it near a corner only.)
    sides = (paper[0], paper[-1], paper[:, 0], paper[:, -1])
    if sum(np.count_nonzero(side) > ALONG_SIDE * len(side) for side in sides) >= 3:
        return None
    outlines, _ = cv2.findContours((paper > 0).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not outlines:
        return None
    outline = max(outlines, key=cv2.contourArea)
    if cv2.contourArea(outline) < MIN_SHEET * h * w:
        return None
    corners = cv2.approxPolyDP(outline, FIT * cv2.arcLength(outline, True), True).reshape(-1, 2)
    if len(corners) != 4 or not cv2.isContourConvex(corners.reshape(-1, 1, 2)):
        return None
    x, y = corners[:, 0], corners[:, 1]
    on_edge = (x <= 1) | (y <= 1) | (x >= w - 2) | (y >= h - 2)
    if on_edge.sum() > 2:
        return None
    corners = _in_order(corners.astype(np.float32))
    if not _in_perspective(corners):
        return None
    # The paper mask stops short of the sheet's edge (its rim is not trusted), and
    # writing near the edge must not touch the flattened image's border.
    centre = corners.mean(axis=0)
    return (centre + (corners - centre) * (1 + MARGIN)) * step


def _in_perspective(corners: np.ndarray) -> bool:
    """Whether facing sides converge, with the sheet turned by at most MAX_TURN."""
    top, right, bottom, left = (corners[(k + 1) % 4] - corners[k] for k in range(4))
    bottom, left = -bottom, -left  # facing sides in the same direction
    turn = np.degrees(np.arctan2(top[1] + bottom[1], top[0] + bottom[0]))
    if abs(turn) > MAX_TURN:
        return False
    for a, b in ((top, bottom), (left, right)):
        la, lb = np.linalg.norm(a), np.linalg.norm(b)
        cross = (a[0] * b[1] - a[1] * b[0]) / max(la * lb, 1e-9)
        if abs(la - lb) > CONVERGE_LENGTH * max(la, lb) or np.degrees(np.arcsin(min(abs(cross), 1.0))) > CONVERGE_DEGREES:
            return True
    return False


def _in_order(corners: np.ndarray) -> np.ndarray:
    """Top left, top right, bottom right, bottom left: the sheet's least turn from
    upright (a sheet turned past 45 degrees is read as turned the other way)."""
    centre = corners.mean(axis=0)
    around = corners[np.argsort(np.arctan2(corners[:, 1] - centre[1], corners[:, 0] - centre[0]))]
    first = int(np.argmin(around.sum(axis=1)))  # nearest the top left
    return np.roll(around, -first, axis=0)


def flatten(image: np.ndarray, corners: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sheet warped flat (each side as long as the longer of the two facing it), the
    3x3 homography from its pixels back to the image's, and the mask of where it shows
    the image's inside (as deskew.shown: beyond it, edge pixels are drawn out)."""
    top, bottom = np.linalg.norm(corners[1] - corners[0]), np.linalg.norm(corners[2] - corners[3])
    left, right = np.linalg.norm(corners[3] - corners[0]), np.linalg.norm(corners[2] - corners[1])
    w, h = int(round(max(top, bottom))), int(round(max(left, right)))
    flat = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    to_flat = cv2.getPerspectiveTransform(corners.astype(np.float32), flat)
    sheet = cv2.warpPerspective(image, to_flat, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    inside = np.zeros(image.shape[:2], np.uint8)
    inside[1:-1, 1:-1] = 255
    shown = cv2.warpPerspective(inside, to_flat, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    return sheet, np.linalg.inv(to_flat), shown


def map_boxes(boxes: np.ndarray, homography: np.ndarray) -> np.ndarray:
    """Axis-aligned boxes (x, y, w, h) around the corners of ``boxes`` mapped by a 3x3
    homography."""
    b = np.asarray(boxes, float).reshape(-1, 4)
    if len(b) == 0:
        return np.zeros((0, 4))
    x0, y0, x1, y1 = b[:, 0], b[:, 1], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    corners = np.stack([np.stack([x0, y0], 1), np.stack([x1, y0], 1), np.stack([x1, y1], 1), np.stack([x0, y1], 1)], 1)
    mapped = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), homography).reshape(-1, 4, 2)
    low, high = mapped.min(axis=1), mapped.max(axis=1)
    return np.concatenate([low, high - low], axis=1)
