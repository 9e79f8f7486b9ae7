"""Locate digit candidates in a frame.

1. Work at a resolution where digits are neither tiny nor huge: a frame of small
   writing is located again, enlarged.
2. Ink (ink.py): how much darker than its own paper each pixel is, thresholded against
   the paper's noise and texture, with hysteresis.
3. Lines (lines.py): erase long, straight, thin lines and paper edges.
4. Blobs (blobs.py): connected components; small pieces join their digit; filters on
   size, aspect, ink density and contrast; letters in words dropped; count capped.
5. Touching digits (split.py) get split alternatives, and an underlined number
   (underline.py) its digits without the line.
6. A sheet seen whole at an angle (rectify.py) is flattened, and tilted writing
   (deskew.py) turned upright; each is searched again.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from . import deskew, rectify, split, underline
from .blobs import crop_of, drawn_boxes, in_words, join_pieces
from .labelling import components, union_boxes
from .ink import SAMPLE_STEP, ink_levels, quiet_darkness
from .lines import remove_lines


@dataclass(frozen=True)
class LocateSettings:
    threshold: str = "adaptive"  # "adaptive" (against paper noise) or "otsu"
    ink: str = "dark"  # "dark" ink on light paper, or "light" ink on a dark board
    min_height: int = 12  # pixels at working resolution
    # Of the frame's height. A single digit photographed close up fills nearly all of
    # it (real-dev's single digits fill 0.6-0.9), and drop_border already keeps out
    # what the frame cuts off.
    max_height: float = 0.97
    min_aspect: float = 0.06  # width / height: a thin 1
    max_aspect: float = 1.7  # a flat 2 or a wide 0; wider blobs are split or dropped
    min_density: float = 0.02  # ink pixels / box area
    max_density: float = 0.92
    min_contrast: float = 28.0  # grey levels between a candidate's ink and its paper
    relative_contrast: float = 0.35  # of the frame's typical candidate contrast
    noise_sigmas: float = 5.0
    # A blob touching the frame's edge is cut off: its shape cannot be read reliably, and a
    # camera that moves shows it whole a moment later. (real-dev: precision 0.953 -> 0.973.)
    drop_border: bool = True
    roi: tuple | None = None  # (x, y, w, h) in frame pixels
    max_candidates: int = 128
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
    # Boxes on the page turned upright (working pixels): reading order is built on these.
    upright_boxes: np.ndarray

    @classmethod
    def empty(cls) -> "Candidates":
        return cls(np.zeros((0, 4), int), [], np.zeros(0, int), np.zeros(0, int), np.zeros((0, 4)))


@dataclass
class _Found:
    boxes: np.ndarray
    crops: list
    groups: np.ndarray
    options: np.ndarray
    letters: int = 0  # candidates dropped as letters in words
    paper: np.ndarray | None = None  # where the image is paper, at every SAMPLE_STEP-th pixel

    @classmethod
    def empty(cls) -> "_Found":
        return cls(np.zeros((0, 4), int), [], np.zeros(0, int), np.zeros(0, int))


def _as_uint8(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint8:
        return image
    return (image >> 8).astype(np.uint8) if image.dtype == np.uint16 else np.clip(image, 0, 255).astype(np.uint8)


def to_bgr(image: np.ndarray) -> np.ndarray:
    """Any frame (grey, BGR, BGRA; uint8 or uint16) as 3-channel uint8."""
    image = _as_uint8(image)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.shape[2] == 1:
        return cv2.cvtColor(image[..., 0], cv2.COLOR_GRAY2BGR)
    return image


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Any frame as uint8, grey frames as 2-D, colour ones as 3-channel BGR. A grey
    frame (the Pi camera's Y plane) stays one channel: the ink measure takes the darkest
    channel, and of three equal channels that is the one, at a third of the work."""
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    return _as_uint8(image) if image.ndim == 2 else to_bgr(image)


# Digits this small at working size lose strokes to the threshold and detail to the
# 20 px box; a frame whose typical candidate is smaller is worked again, enlarged
# towards WELL_READ (up to work_max_side). Real-dev at the Pi's lores size (640 px)
# reads F1 0.904 worked as it comes and 0.968 worked at 960 px on its short side.
SMALL_DIGITS = 24
WELL_READ = 36
WORTH_ENLARGING = 1.25  # a second pass for less gains too little to pay for itself


def _resized(image: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1:
        return image
    h, w = image.shape[:2]
    size = (int(round(w * scale)), int(round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def working_scale(height: int, width: int, s: LocateSettings) -> float:
    long_side, short_side = max(height, width), min(height, width)
    if long_side > s.work_max_side:
        return s.work_max_side / long_side
    if short_side < s.work_min_side:
        return min(s.work_min_side / short_side, s.work_max_side / long_side)
    return 1.0


class Locator:
    def __init__(self, settings: LocateSettings = LocateSettings()):
        self.s = settings

    def locate(self, image: np.ndarray) -> Candidates:
        s = self.s
        bgr = to_uint8(image)
        offset = np.zeros(2, int)
        if s.roi:
            x, y, w, h = (int(v) for v in s.roi)
            x, y = max(0, x), max(0, y)
            bgr = bgr[y:y + h, x:x + w]
            offset = np.array([x, y])
        scale = working_scale(*bgr.shape[:2], s)
        h, w = bgr.shape[:2]
        if min(w, h) * scale < 8:  # a sliver of a frame: nothing a digit could fit in
            return Candidates.empty()
        work = _resized(bgr, scale)
        found = self._find(work)
        larger = self._enlargement(found, work.shape)
        if larger > 1:
            scale *= larger
            work = _resized(bgr, scale)
            found = self._find(work)
        boxes = upright_boxes = found.boxes
        # The image searched, the homography back to work's pixels, and where it shows
        # the frame (None: everywhere).
        searched, to_work, shown = work, np.eye(3), None
        corners = rectify.sheet_corners(found.paper, SAMPLE_STEP)
        if corners is not None:
            searched, to_work, shown = rectify.flatten(work, corners)
            found = self._find(searched, shown)
            upright_boxes = found.boxes
            boxes = rectify.map_boxes(found.boxes, to_work)
        angle = deskew.text_angle(found.boxes[found.options == 0]) if len(found.boxes) else 0.0
        if abs(angle) >= deskew.MIN_ANGLE:
            upright, to_searched, frame_shown = deskew.rotate(searched, angle)
            if shown is not None:  # a flattened sheet shows the frame only where it did
                frame_shown = cv2.bitwise_and(frame_shown, cv2.warpAffine(
                    shown, cv2.invertAffineTransform(to_searched), upright.shape[1::-1], flags=cv2.INTER_NEAREST, borderValue=0))
            found = self._find(upright, frame_shown)
            upright_boxes = found.boxes
            boxes = rectify.map_boxes(found.boxes, to_work @ np.vstack([to_searched, [0.0, 0.0, 1.0]]))
        if not found.crops:
            return Candidates.empty()
        frame_boxes = np.round(np.asarray(boxes, float) / scale).astype(int)
        # A turned box can poke out of the frame at its corners; boxes stay inside.
        x0, y0 = np.maximum(frame_boxes[:, 0], 0), np.maximum(frame_boxes[:, 1], 0)
        x1 = np.minimum(frame_boxes[:, 0] + frame_boxes[:, 2], w)
        y1 = np.minimum(frame_boxes[:, 1] + frame_boxes[:, 3], h)
        frame_boxes = np.stack([x0, y0, np.maximum(x1 - x0, 1), np.maximum(y1 - y0, 1)], axis=1)
        frame_boxes[:, :2] += offset
        return Candidates(frame_boxes, found.crops, found.groups, found.options, np.asarray(upright_boxes, float))

    def _find(self, work: np.ndarray, frame_shown: np.ndarray | None = None) -> "_Found":
        """Candidates in a working image, in its own pixels. A turned frame comes with
        the mask of where it shows the frame's inside (deskew.shown)."""
        s = self.s
        dark, on_paper, noise = quiet_darkness(work, light_ink=s.ink == "light")
        low, high = ink_levels(dark, s, on_paper, noise)
        mask = remove_lines(cv2.compare(dark, low, cv2.CMP_GE), dark, work, light_ink=s.ink == "light")
        blobs = components(mask)
        count, labels, stats = blobs.count, blobs.labels, blobs.stats
        ink_labels, ink_darkness_values = blobs.pixel_labels, blobs.at_ink(dark)
        has_strong = np.bincount(ink_labels[ink_darkness_values >= blobs.at_ink(high)], minlength=count)[1:] > 0
        # Specks cannot be digits nor parts worth joining.
        alive = (stats[:, cv2.CC_STAT_AREA] >= max(4, (s.min_height // 6) ** 2)) & has_strong
        # A box or a circle drawn round a number would take its digits in as pieces.
        alive = np.flatnonzero(alive & ~drawn_boxes(stats, labels, s.min_height))
        if len(alive) == 0:
            found = _Found.empty()
            found.paper = on_paper
            return found
        # A speck or a grid dot at the frame's edge is cut off; joined to the digit
        # above it, it would have the digit dropped as cut off too.
        at_edge = _at_edge(stats[alive, :4], work.shape) if s.drop_border else None
        group = join_pieces(stats[alive], loose=at_edge)
        roots, member_of = np.unique(group, return_inverse=True)
        boxes = union_boxes(stats[alive], member_of, len(roots))
        darkness_sum = np.bincount(ink_labels, weights=ink_darkness_values, minlength=count)[1:][alive]
        area = stats[alive, cv2.CC_STAT_AREA].astype(float)
        ink = np.bincount(member_of, weights=area, minlength=len(roots))
        darkness = np.bincount(member_of, weights=darkness_sum, minlength=len(roots)) / np.maximum(ink, 1)
        keep, density, cut_off = self._filter(boxes, ink, darkness, work.shape)
        if frame_shown is not None:
            off_frame = self._off_frame(blobs, frame_shown, alive, member_of, len(roots))
            keep &= ~off_frame
            cut_off |= off_frame
        # What the frame's edge cuts off may be a digit: no evidence of a word beside it.
        # Nor is a straight rule thinner than any letter (the walls of a form's boxes).
        hairline = boxes[:, 2] < s.min_aspect * boxes[:, 3]
        letters = in_words(boxes, keep, darkness, unknown=cut_off | hairline)
        keep &= ~letters
        order = np.argsort(-(darkness[keep] * density[keep].clip(0.1) * boxes[keep, 3]))[: s.max_candidates]
        chosen = np.flatnonzero(keep)[order]
        found = _Found.empty()
        found.letters = int(letters.sum())
        found.paper = on_paper
        work_boxes, groups, options = [], [], []
        # Each group's labels, listed once: a search over every component per candidate
        # cost more than cutting the crop.
        labels_by_group = alive[np.argsort(member_of, kind="stable")] + 1
        group_sizes = np.bincount(member_of, minlength=len(roots))
        group_ends = np.cumsum(group_sizes)
        group_starts = group_ends - group_sizes
        is_own = np.zeros(count, np.uint8)
        for group, i in enumerate(chosen):
            own_labels = labels_by_group[group_starts[i]:group_ends[i]]
            crop = crop_of(dark, labels, boxes[i], own_labels, is_own)
            x, y, w, h = boxes[i]
            if w <= s.max_aspect * h:
                work_boxes.append(boxes[i]), found.crops.append(crop), groups.append(group), options.append(0)
            proposals = split.propose(crop)
            for option, spans in enumerate(proposals, start=1):
                for x0, x1 in spans:
                    part = crop[:, x0:x1]
                    rows = np.flatnonzero(part.any(axis=1))
                    if len(rows) == 0:
                        continue
                    work_boxes.append((x + x0, y + rows[0], x1 - x0, rows[-1] - rows[0] + 1))
                    found.crops.append(part[rows[0]:rows[-1] + 1])
                    groups.append(group)
                    options.append(option)
            # Only a blob too wide to be one digit: an underline makes it so.
            for (px, py, pw, ph), part in underline.digits_over_a_line(crop) if w > s.max_aspect * h else []:
                work_boxes.append((x + px, y + py, pw, ph))
                found.crops.append(part)
                groups.append(group)
                options.append(len(proposals) + 1)
        if work_boxes:
            found.boxes = np.array(work_boxes, int)
            found.groups = np.array(groups)
            found.options = np.array(options)
        return found

    def _enlargement(self, found: "_Found", shape: tuple) -> float:
        """How much larger the frame must be worked for its digits to be read well: 1
        unless the typical candidate is under SMALL_DIGITS px and the working size may
        still grow."""
        heights = found.boxes[found.options == 0, 3]
        # Print is read at its own size: enlarged, its x-height letters become
        # candidates, and the small letters that show a word for what it is are gone.
        if len(heights) == 0 or found.letters >= len(heights):
            return 1.0
        typical = float(np.median(heights))
        if typical >= SMALL_DIGITS:
            return 1.0
        room = self.s.work_max_side / max(shape[:2])
        factor = min(WELL_READ / typical, room)
        return factor if factor >= WORTH_ENLARGING else 1.0

    def _off_frame(self, blobs, frame_shown, alive, member_of, groups) -> np.ndarray:
        """Per group: in a turned frame, ink in the canvas beyond the frame is a streak of
        the frame's edge pixels drawn out, and a blob reaching it is cut off by the
        frame's edge (dropped, as drop_border drops it in a frame as it came)."""
        outside = blobs.at_ink(frame_shown) == 0
        ink_outside = np.bincount(blobs.pixel_labels[outside], minlength=blobs.count)[1:][alive]
        ink_total = blobs.stats[alive, cv2.CC_STAT_AREA]
        outside_share = np.bincount(member_of, weights=ink_outside, minlength=groups) / np.maximum(
            np.bincount(member_of, weights=ink_total, minlength=groups), 1)
        return outside_share > 0 if self.s.drop_border else outside_share > 0.5

    def _filter(self, boxes, ink, darkness, shape):
        s = self.s
        w, h = boxes[:, 2], boxes[:, 3]
        density = ink / np.maximum(w * h, 1)
        aspect = w / np.maximum(h, 1)
        keep = (h >= s.min_height) & (h <= s.max_height * shape[0])
        # Wider blobs stay if they may be touching digits that split.MAX_PARTS parts can hold.
        keep &= (aspect >= s.min_aspect) & (aspect <= s.max_aspect * split.MAX_PARTS)
        keep &= (density >= s.min_density) & (density <= s.max_density)
        # A filled blob (a hole punch, a shadow) is denser than any digit but a thin 1.
        keep &= ~((density > 0.8) & (aspect > 0.45))
        keep &= darkness >= s.min_contrast
        cut_off = np.zeros(len(boxes), bool)
        if s.drop_border:
            cut_off = _at_edge(boxes, shape)
            keep &= ~cut_off
        if keep.any():
            typical = np.median(darkness[keep])
            keep &= darkness >= s.relative_contrast * typical
        return keep, density, cut_off


def _at_edge(boxes: np.ndarray, shape: tuple) -> np.ndarray:
    """Which boxes (x, y, w, h) touch the edge of an image of ``shape``."""
    x, y, w, h = np.asarray(boxes).T
    return (x <= 0) | (y <= 0) | (x + w >= shape[1]) | (y + h >= shape[0])
