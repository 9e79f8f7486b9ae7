"""Draw the pipeline's results on the frame: boxes, digits, readings, speed."""
from __future__ import annotations

import cv2
import numpy as np

from .locate import to_bgr

GREEN = (60, 200, 60)
GREY = (150, 150, 150)
AMBER = (0, 190, 255)
FONT = cv2.FONT_HERSHEY_SIMPLEX


def _label(img, text, org, colour, scale):
    thickness = max(1, int(round(scale * 2)))
    (tw, th), base = cv2.getTextSize(text, FONT, scale, thickness)
    x, y = org
    y = max(th + 2, y)
    cv2.rectangle(img, (x, y - th - 2), (x + tw + 2, y + base - 1), (0, 0, 0), -1)
    cv2.putText(img, text, (x + 1, y - 1), FONT, scale, colour, thickness, cv2.LINE_AA)


def annotate(result, fps: float = 0.0, show_inputs: bool = False, show_probabilities: bool = False, status: str = "") -> np.ndarray:
    """A BGR picture of the frame with the overlay drawn on it."""
    frame = result.frame
    img = to_bgr(frame.display if frame.display is not None else frame.image).copy()
    h, w = img.shape[:2]
    # Boxes are in the processed frame's pixels; map them onto the picture drawn on.
    sy = h / frame.image.shape[0]
    sx = w / frame.image.shape[1]
    scale = max(0.4, min(h, w) / 900)
    for i, (box, digit, conf, ok) in enumerate(zip(result.boxes, result.digits, result.confidences, result.accepted)):
        x, y, bw, bh = (int(round(v * f)) for v, f in zip(box, (sx, sy, sx, sy)))
        colour = GREEN if ok else GREY
        cv2.rectangle(img, (x, y), (x + bw, y + bh), colour, max(1, int(scale * 2)))
        _label(img, f"{digit} {conf:.2f}" if ok else f"? {conf:.2f}", (x, y - 3), colour, scale * 0.8)
    for reading in result.readings:
        x, y, bw, bh = (int(round(v * f)) for v, f in zip(reading.box, (sx, sy, sx, sy)))
        _label(img, reading.text, (x, y + bh + int(28 * scale)), AMBER, scale * 1.1)
    stage_ms = " ".join(f"{k} {v:.1f}" for k, v in result.ms.items())
    lines = [f"{fps:.1f} fps | ms: {stage_ms}", "readings: " + (" ".join(r.text for r in result.readings) or "-")]
    if status:
        lines.append(status)
    for n, text in enumerate(lines):
        _label(img, text, (4, int((n + 1) * 26 * scale) + 4), (255, 255, 255), scale * 0.7)
    if show_inputs or show_probabilities:
        img = _with_digit_panel(img, result, show_inputs, show_probabilities)
    return img


def _with_digit_panel(img, result, show_inputs, show_probabilities):
    """A strip under the frame: each digit's 28x28 input and its ten probabilities."""
    h, w = img.shape[:2]
    cell = 84
    panel_h = (cell if show_inputs else 0) + (60 if show_probabilities else 0) + 6
    panel = np.zeros((panel_h, w, 3), np.uint8)
    for k, i in enumerate(np.flatnonzero(result.accepted)[: max(1, w // (cell + 6))]):
        x0 = k * (cell + 6) + 3
        y0 = 3
        if show_inputs:
            digit = cv2.resize(result.inputs[i], (cell, cell), interpolation=cv2.INTER_NEAREST)
            panel[y0:y0 + cell, x0:x0 + cell] = digit[..., None]
            y0 += cell
        if show_probabilities:
            probs = result.probabilities[i]
            bar_w = cell / 10
            for d, p in enumerate(probs):
                top = y0 + 56 - int(p * 50)
                bx = int(x0 + d * bar_w + bar_w / 2)
                cv2.line(panel, (bx, y0 + 56), (bx, top), GREEN if d == result.digits[i] else GREY, 1)
                cv2.circle(panel, (bx, top), 2, GREEN if d == result.digits[i] else GREY, -1)
    return np.vstack([img, panel])
