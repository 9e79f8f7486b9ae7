"""Small shared helpers for the edge-app tests."""
import json
import os

import cv2
import numpy as np

from conftest import ROOT

SAMPLES = os.path.join(ROOT, "samples")
SAMPLE_VIDEO = os.path.join(SAMPLES, "sample.mp4")
STILLS = os.path.join(SAMPLES, "stills")


def truth():
    with open(os.path.join(SAMPLES, "truth.json")) as f:
        return json.load(f)


def read_log(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def without_timings(records):
    return [{k: v for k, v in r.items() if k != "ms"} for r in records]


def blank_page(h=480, w=640, value=225):
    rng = np.random.default_rng(3)
    page = np.full((h, w, 3), value, np.float32) + rng.normal(0, 3, (h, w, 1))
    return np.clip(page, 0, 255).astype(np.uint8)


def printed_text_page():
    """Body text as on a printed letter or form (sans-serif, regular weight)."""
    page = blank_page()
    lines = ["Minutes of the meeting held on Tuesday afternoon in the",
             "library. Present were the chair, the secretary and seven",
             "members. The accounts were approved without change and",
             "the chair thanked everyone for their work during the year.",
             "Next meeting: spring, in the same room, after lunch.",
             "Any other business was deferred to the next session.",
             "Please bring your reports and the updated member list."]
    for i, text in enumerate(lines):
        cv2.putText(page, text, (15, 45 + i * 60), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (35, 35, 35), 1, cv2.LINE_AA)
    return page


def noise_frame(h=480, w=640):
    return np.random.default_rng(5).integers(0, 256, (h, w, 3), dtype=np.uint8)
