#!/usr/bin/env python3
"""Real-dev under what other cameras and hands do to a photo: each variant of every
photo is replayed and scored with the shared scorer; recall, precision and F1 are
printed per variant (seq is not: the scorer rebuilds reading order from level rows,
which a turned page does not have).

    python bench/perturbed_photos.py [--variants rot15,dim] [--images ../shared/datasets/real-dev/images] [--per-image]

Variants: the photo as it is; turned by 15 and 25 degrees on a dark desk (the canvas
grown to hold it all); a phone tilted back (perspective), further back (steep) and
sideways, and tilted back with the whole photo in view (slant); JPEG at quality 35; defocus
(Gaussian blur); a sideways shake (motion blur of 9 px at 1280 px); a dim, high-gain sensor (45 % brightness, noise of 5 levels per
channel); grey (the Pi camera's Y plane); framed (cropped to the writing that the app
reads on the photo as it is, half a digit's height to spare); far (as from twice the distance: at half size in the
middle of a desk); on a grey desk (at 0.7 size, on a desk at 0.6 of the paper's brightness); on squared paper (a light
blue grid printed under the writing, squares 0.8 of the digits' height); the shadow of a hand or a
phone over half the photo, at 60 % and 45 % of the light. Everything is seeded: runs
compare.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from edge_app.frames import Frame  # noqa: E402
from edge_app.sources import open_replay  # noqa: E402
from replay_score import SHARED, scorer_summary  # noqa: E402

DESK = (60, 60, 60)


def turned(degrees):
    def turn(image, _rng):
        h, w = image.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
        cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
        size = (int(h * sin + w * cos), int(h * cos + w * sin))
        matrix[:, 2] += (size[0] / 2 - w / 2, size[1] / 2 - h / 2)
        return cv2.warpAffine(image, matrix, size, borderMode=cv2.BORDER_CONSTANT, borderValue=DESK)
    return turn


def _seen(image, corners):
    """The photo's corners seen where ``corners`` (shares of its width and height) say,
    on a dark desk: a phone held at a slant."""
    h, w = image.shape[:2]
    frame = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    seen = np.float32([[x * w, y * h] for x, y in corners])
    return cv2.warpPerspective(image, cv2.getPerspectiveTransform(frame, seen), (w, h),
                               borderMode=cv2.BORDER_CONSTANT, borderValue=DESK)


def tilted_back(image, _rng):
    return _seen(image, [[0.15, 0.1], [0.85, 0.1], [1, 1], [0, 1]])


def tilted_far_back(image, _rng):
    return _seen(image, [[0.25, 0.15], [0.75, 0.15], [1, 1], [0, 1]])


def tilted_sideways(image, _rng):
    return _seen(image, [[0, 0], [0.8, 0.12], [0.8, 0.88], [0, 1]])


def whole_at_a_slant(image, _rng):
    """Tilted back with the whole photo in view: its far side narrower, all four corners
    on the desk."""
    return _seen(image, [[0.22, 0.12], [0.78, 0.12], [0.94, 0.9], [0.06, 0.9]])


def jpeg35(image, _rng):
    return cv2.imdecode(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 35])[1], cv2.IMREAD_COLOR)


def defocused(image, _rng):
    return cv2.GaussianBlur(image, (0, 0), 1.6 * max(image.shape[:2]) / 1280)


def moving(image, _rng):
    length = max(3, int(round(9 * max(image.shape[:2]) / 1280)))
    smear = np.zeros((length, length), np.float32)
    smear[length // 2, :] = 1.0 / length
    return cv2.filter2D(image, -1, smear)


def dim_and_noisy(image, rng):
    return np.clip(image * 0.45 + rng.normal(0, 5, image.shape), 0, 255).astype(np.uint8)


def shadowed(shade):
    def shadow(image, _rng):
        return _in_shadow(image, shade)
    return shadow


def _in_shadow(image, shade):
    """The shadow of a phone or a hand: a half-plane at ``shade`` of the brightness
    across the middle of the photo, its edge softened over about 2 % of its size."""
    h, w = image.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    distance = ((x - w / 2) * 0.6 + (y - h / 2) * 0.8)  # a line through the centre, slanted
    softness = 0.02 * max(h, w)
    light = shade + (1 - shade) / (1 + np.exp(np.clip(-distance / (softness / 4), -50, 50)))
    return np.clip(image * light[..., None] if image.ndim == 3 else image * light, 0, 255).astype(np.uint8)


def far(image, rng):
    """As from twice the distance: the photo at half its size in the middle of a desk
    (with a camera's noise: a flat desk would make the frame's paper look noiseless)."""
    h, w = image.shape[:2]
    desk = np.float32(DESK if image.ndim == 3 else DESK[0]) + rng.normal(0, 3, image.shape)
    canvas = np.clip(desk, 0, 255).astype(np.uint8)
    canvas[h // 4:h // 4 + h // 2, w // 4:w // 4 + w // 2] = cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    return canvas


def on_grey_desk(image, rng):
    """On a grey table or light wood: the photo at 0.7 of its size in the middle of a
    desk at 0.6 of its paper's brightness (the brightest tenth), with the same noise."""
    h, w = image.shape[:2]
    paper = float(np.percentile(image.max(axis=2) if image.ndim == 3 else image, 90))
    canvas = np.clip(0.6 * paper + rng.normal(0, 3, image.shape), 0, 255).astype(np.uint8)
    sw, sh = int(0.7 * w), int(0.7 * h)
    top, left = (h - sh) // 2, (w - sw) // 2
    canvas[top:top + sh, left:left + sw] = cv2.resize(image, (sw, sh), interpolation=cv2.INTER_AREA)
    return canvas


_PIPELINE = []


def _digit_boxes(image):
    """The boxes of the digits the app reads on the photo as it is."""
    if not _PIPELINE:
        from edge_app.classify import Classifier
        from edge_app.pipeline import Pipeline
        _PIPELINE.append(Pipeline(Classifier.from_path(os.path.join(ROOT, "models", "digits_int8.tflite"))))
    result = _PIPELINE[0].process(Frame(image, 0, 0.0, "perturbed"))
    return result.boxes[result.accepted]


def framed(image, _rng):
    """Cropped to the writing, as a user who fills the frame with it: the app's own
    digits on the photo as it is, with half a digit's height to spare all round."""
    boxes = _digit_boxes(image)
    if len(boxes) == 0:
        return image
    margin = int(0.5 * np.median(boxes[:, 3]))
    x0, y0 = np.maximum(boxes[:, :2].min(axis=0) - margin, 0)
    x1, y1 = (boxes[:, :2] + boxes[:, 2:]).max(axis=0) + margin
    return image[y0:y1, x0:x1]


def squared(image, rng):
    """Written on squared paper: a light blue grid printed under the writing, its squares
    0.8 of the digits' height (the app's own digits on the photo as it is), its lines
    3 % of a square wide (at least a pixel) and taking 25 % of the red light, 15 % of
    the green, 5 % of the blue. Only the paper takes it: ink and desk, darker than 0.6 of
    the paper's brightness (its brightest tenth), stay as they were."""
    boxes = _digit_boxes(image)
    h, w = image.shape[:2]
    pitch = 0.8 * float(np.median(boxes[:, 3])) if len(boxes) else min(h, w) / 20
    width = max(1, int(round(0.03 * pitch)))
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    offset = rng.uniform(0, pitch, 2)
    on_line = (np.mod(xs - offset[0], pitch) < width) | (np.mod(ys - offset[1], pitch) < width)
    value = image.max(axis=2) if image.ndim == 3 else image
    paper = float(np.percentile(value, 90))
    # Fully printed on paper, fading out towards ink's and desk's darkness.
    printed = np.clip((value / max(paper, 1.0) - 0.6) / 0.2, 0, 1) * on_line
    if image.ndim == 2:
        return np.clip(image * (1 - 0.15 * printed), 0, 255).astype(np.uint8)
    absorbed = np.array([0.05, 0.15, 0.25], np.float32)  # B, G, R
    return np.clip(image * (1 - printed[..., None] * absorbed), 0, 255).astype(np.uint8)


def grey(image, _rng):
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


VARIANTS = {"as-is": lambda image, _rng: image, "rot15": turned(15), "rot25": turned(-25), "perspective": tilted_back,
            "steep": tilted_far_back, "sideways": tilted_sideways, "slant": whole_at_a_slant,
            "jpeg35": jpeg35, "blur": defocused, "motion": moving, "dim": dim_and_noisy, "grey": grey, "framed": framed, "far": far,
            "grey_desk": on_grey_desk, "squared": squared,
            "shadow60": shadowed(0.6), "shadow45": shadowed(0.45)}


def score(variant, images: str, per_image: bool = False) -> tuple[list, str]:
    """(a line per photo when ``per_image``, the variant's recall, precision and F1)"""
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as folder:
        source = open_replay(images)
        for frame in source.frames():
            name = os.path.basename(frame.source)
            # Written losslessly: the names keep their extension (the scorer matches
            # by name), so the image goes in a PNG container under it.
            ok, data = cv2.imencode(".png", VARIANTS[variant](frame.image, rng))
            if not ok:
                raise RuntimeError(f"could not encode the {variant} variant of {name}")
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data.tobytes())
        source.close()
        summary = scorer_summary(folder, per_image)
    *photos, last = summary.splitlines()
    # Per photo, what was matched and predicted (seq means little on a turned page).
    lines = [f"  {line.split()[0]:40s} " + " ".join(re.findall(r"(?:match|pred)=\S+", line)) for line in photos]
    return lines, " ".join(re.findall(r"(?:recall|precision|f1)=\S+", last))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, of: " + ", ".join(VARIANTS))
    ap.add_argument("--images", default=os.path.join(SHARED, "datasets", "real-dev", "images"))
    ap.add_argument("--per-image", action="store_true", help="Also each photo's matched and predicted digits.")
    a = ap.parse_args()
    variants = a.variants.split(",")
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        sys.exit(f"error: no variant {unknown[0]!r}; known: {', '.join(VARIANTS)}")
    for variant in variants:
        photos, summary = score(variant, a.images, a.per_image)
        print("\n".join(photos + [f"{variant:12s} {summary}"]), flush=True)


if __name__ == "__main__":
    main()
