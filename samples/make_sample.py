#!/usr/bin/env python3
"""Generate the bundled sample: a short 640x480 video and a few stills of handwritten
numbers on paper, made from MNIST *test* digits, with the true digits and boxes beside them.

The paper has texture, uneven light and a shadow; the camera sees it in slight
perspective and moves; frames carry sensor noise, motion blur and compression.
Deterministic: the same seed gives the same files.

    python samples/make_sample.py [--digits tests/fixtures/mnist_small.npz] [--out samples]
"""
from __future__ import annotations

import argparse
import json
import os

import cv2
import numpy as np

W, H = 640, 480


def paper(rng, w, h, tint=(228, 232, 236)):
    base = np.empty((h, w, 3), np.float32)
    base[:] = tint
    low = cv2.resize(rng.normal(0, 6, (h // 40 + 2, w // 40 + 2)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    grain = cv2.GaussianBlur(rng.normal(0, 4, (h, w)).astype(np.float32), (0, 0), 0.8)
    return base + (low + grain)[..., None]


def digit_alpha(image28: np.ndarray, height: int) -> np.ndarray:
    rows = np.flatnonzero(image28.max(1) > 30)
    cols = np.flatnonzero(image28.max(0) > 30)
    crop = image28[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].astype(np.float32) / 255
    width = max(2, int(round(crop.shape[1] * height / crop.shape[0])))
    return np.clip(cv2.resize(crop, (width, height), interpolation=cv2.INTER_CUBIC), 0, 1)


def write_page(rng, digits, labels, w, h, ink, lines_spec):
    """Draw numbers on a page; return the page and the truth: digits and numbers."""
    page = paper(rng, w, h)
    truth_digits, truth_numbers = [], []
    y = 40
    pool = iter(rng.permutation(len(digits)))
    for n_numbers, height in lines_spec:
        x = int(rng.integers(30, 70))
        for _ in range(n_numbers):
            text, boxes = "", []
            for _ in range(int(rng.integers(2, 5))):
                k = next(pool)
                alpha = digit_alpha(digits[k], height + int(rng.integers(-4, 5)))
                ah, aw = alpha.shape
                top = y + int(rng.integers(-3, 4))
                region = page[top:top + ah, x:x + aw]
                page[top:top + ah, x:x + aw] = region * (1 - alpha[..., None]) + np.array(ink, np.float32) * alpha[..., None]
                ys, xs = np.nonzero(alpha > 0.3)
                boxes.append([x + int(xs.min()), top + int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)])
                truth_digits.append({"digit": int(labels[k]), "box": boxes[-1]})
                text += str(int(labels[k]))
                x += aw + int(rng.integers(3, 9))
            truth_numbers.append({"text": text, "digit_boxes": boxes})
            x += int(height * rng.uniform(2.6, 3.6))  # numbers stand well apart, as on real paper
        y += int(height * rng.uniform(1.6, 1.9))
    return page, truth_digits, truth_numbers


def lighting(rng, h, w):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xx / w + np.sin(angle) * yy / h)
    light = 1.0 - 0.25 * (ramp - ramp.min()) / (np.ptp(ramp) + 1e-6)
    shadow = np.zeros((h, w), np.float32)
    corner = rng.integers(0, 4)
    pts = np.array([[0, 0], [w * rng.uniform(0.2, 0.4), 0], [w * rng.uniform(0.05, 0.2), h], [0, h]], np.int32)
    if corner % 2:
        pts[:, 0] = w - pts[:, 0]
    cv2.fillPoly(shadow, [pts], 1.0)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 15)
    return light * (1 - 0.35 * shadow)


def camera(rng, page, light, homography, blur_len, quality):
    frame = cv2.warpPerspective(page * light[..., None], homography, (W, H), borderMode=cv2.BORDER_REFLECT)
    if blur_len > 1:
        kernel = np.zeros((blur_len, blur_len), np.float32)
        kernel[blur_len // 2] = 1.0 / blur_len
        rotation = cv2.getRotationMatrix2D((blur_len / 2 - 0.5, blur_len / 2 - 0.5), rng.uniform(0, 180), 1)
        frame = cv2.filter2D(frame, -1, cv2.warpAffine(kernel, rotation, (blur_len, blur_len)))
    frame = np.clip(frame + rng.normal(0, 3.5, frame.shape), 0, 255).astype(np.uint8)
    ok, encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(encoded, cv2.IMREAD_COLOR)


def view(rng, shift=(0.0, 0.0), jitter=8.0):
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    dst = src + rng.uniform(-jitter, jitter, (4, 2)).astype(np.float32) + np.float32(shift)
    return cv2.getPerspectiveTransform(src, dst)


def project(box, homography):
    x, y, w, h = box
    corners = np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])[None]
    p = cv2.perspectiveTransform(corners, homography)[0]
    x0, y0 = p.min(0)
    x1, y1 = p.max(0)
    return [int(round(x0)), int(round(y0)), int(round(x1 - x0)), int(round(y1 - y0))]


def visible(box, margin=2):
    x, y, w, h = box
    return x >= margin and y >= margin and x + w <= W - margin and y + h <= H - margin


def frame_truth(truth_digits, truth_numbers, homography):
    digits = [{"digit": d["digit"], "box": project(d["box"], homography)} for d in truth_digits]
    shown = [d for d in digits if visible(d["box"])]
    numbers = []
    for n in truth_numbers:
        boxes = [project(b, homography) for b in n["digit_boxes"]]
        if all(visible(b) for b in boxes):
            numbers.append(n["text"])
    return {"digits": shown, "numbers": numbers}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--digits", default=os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "mnist_small.npz"))
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--frames", type=int, default=40)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    with np.load(a.digits) as d:
        digits, labels = d["x_test"], d["y_test"]  # MNIST *test* digits only
    os.makedirs(os.path.join(a.out, "stills"), exist_ok=True)

    # The video: one page, a hand-held camera drifting slowly over it.
    page, t_digits, t_numbers = write_page(rng, digits, labels, W, H, (45, 35, 30), [(2, 46), (2, 42), (1, 50), (2, 40)])
    light = lighting(rng, H, W)
    video_path = os.path.join(a.out, "sample.mp4")
    writer = cv2.VideoWriter(video_path, cv2.VideoWriter_fourcc(*"mp4v"), 10.0, (W, H))
    frames_truth = []
    for i in range(a.frames):
        drift = (6 * np.sin(i / 7), 4 * np.cos(i / 9))
        homography = view(rng, drift, jitter=5)
        frame = camera(rng, page, light, homography, blur_len=int(rng.choice([1, 1, 3, 5])), quality=80)
        writer.write(frame)
        frames_truth.append({"frame": i, **frame_truth(t_digits, t_numbers, homography)})
    writer.release()

    # The stills: other pages, inks and light.
    stills = []
    inks = [(40, 30, 25), (140, 60, 20), (90, 90, 90), (30, 30, 150), (20, 20, 20)]
    for k, ink in enumerate(inks):
        spec = [(int(rng.integers(1, 3)), int(rng.integers(34, 62))) for _ in range(int(rng.integers(2, 5)))]
        page, s_digits, s_numbers = write_page(rng, digits, labels, W, H, ink, spec)
        homography = view(rng, jitter=10)
        image = camera(rng, page, lighting(rng, H, W), homography, blur_len=1, quality=85)
        name = f"still_{k}.jpg"
        cv2.imwrite(os.path.join(a.out, "stills", name), image)
        stills.append({"file": f"stills/{name}", **frame_truth(s_digits, s_numbers, homography)})

    truth = {"video": {"file": "sample.mp4", "fps": 10.0, "frames": frames_truth}, "stills": stills,
             "note": "digits from the MNIST test split; boxes in frame pixels [x, y, w, h]"}
    with open(os.path.join(a.out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
    print(f"wrote {video_path} ({a.frames} frames) and {len(stills)} stills with truth.json")


if __name__ == "__main__":
    main()
