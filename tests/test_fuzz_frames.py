"""Property-based fuzzing of the whole pipeline with hostile frames: nothing may escape."""
import os

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from edge_app import split
from edge_app.classify import Classifier
from edge_app.locate import LocateSettings
from edge_app.frames import Frame
from edge_app.pipeline import Pipeline

from conftest import BUNDLED_MODEL

FUZZ_FRAMES = int(os.environ.get("PI_DIGITS_FUZZ_FRAMES", "10000"))
_pipeline = None


def pipeline():
    global _pipeline
    if _pipeline is None:
        _pipeline = Pipeline(Classifier.from_path(BUNDLED_MODEL))
    return _pipeline


KINDS = ("black", "white", "noise", "specks", "blob", "stripes", "digits")


@st.composite
def frames(draw):
    # Mostly small frames (fast), now and then up to 4000x3000.
    if draw(st.integers(0, 49)) == 0:
        h, w = draw(st.integers(1, 3000)), draw(st.integers(1, 4000))
    else:
        h, w = draw(st.integers(1, 160)), draw(st.integers(1, 200))
    channels = draw(st.sampled_from([None, 1, 3, 4]))
    dtype = draw(st.sampled_from([np.uint8, np.uint16]))
    kind = draw(st.sampled_from(KINDS))
    seed = draw(st.integers(0, 2**32 - 1))
    return h, w, channels, dtype, kind, seed


def render(h, w, channels, dtype, kind, seed):
    rng = np.random.default_rng(seed)
    top = 65535 if dtype == np.uint16 else 255
    shape = (h, w) if channels is None else (h, w, channels)
    if kind == "black":
        img = np.zeros(shape, dtype)
    elif kind == "white":
        img = np.full(shape, top, dtype)
    elif kind == "noise":
        img = rng.integers(0, top + 1, shape, dtype=np.int64).astype(dtype)
    else:
        img = np.full(shape, int(top * 0.85), dtype)
        if kind == "specks":
            count = int(rng.integers(1, 5000))
            ys, xs = rng.integers(0, h, count), rng.integers(0, w, count)
            img[ys, xs] = 0
        elif kind == "blob":
            img[h // 8: h - h // 8, w // 8: w - w // 8] = 0
        elif kind == "stripes":
            period = int(rng.integers(2, 40))
            if rng.random() < 0.5:
                img[::period] = 0
            else:
                img[:, ::period] = 0
        elif kind == "digits":
            for _ in range(int(rng.integers(1, 30))):
                y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
                img[y: y + int(rng.integers(1, h + 1)), x: x + int(rng.integers(1, 4))] = 0
    return img


@settings(max_examples=FUZZ_FRAMES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(frames())
def test_pipeline_survives_any_frame(spec):
    image = render(*spec)
    result = pipeline().process(Frame(image, 0, 0.0, "fuzz"))
    assert len(result.boxes) == len(result.digits) == len(result.accepted)
    # The candidate cap holds: at most max_candidates blobs, each read as at most MAX_PARTS digits.
    assert len(result.boxes) <= LocateSettings().max_candidates * split.MAX_PARTS
    record = result.log_record()
    assert set(record) == {"source", "frame", "t", "detections", "rejected", "readings", "ms"}


def test_frame_size_changes_mid_stream():
    p = pipeline()
    for h, w in [(480, 640), (1, 1), (3000, 4000), (20, 2000), (480, 640), (2000, 20)]:
        result = p.process(Frame(render(h, w, 3, np.uint8, "digits", h * w), 0, 0.0, "fuzz"))
        assert (result.boxes[:, 0] + result.boxes[:, 2] <= w + 1).all() if len(result.boxes) else True
