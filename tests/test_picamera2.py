"""The picamera2 source against a faithful fake camera fed from the sample video."""
import time

import numpy as np
import pytest

from edge_app.annotate import annotate
from edge_app.classify import Classifier
from edge_app.errors import SourceError
from edge_app.pipeline import Pipeline
from edge_app.sources.picamera2 import PiCameraSource, y_plane

from conftest import BUNDLED_MODEL
from fake_picamera2 import FakePicamera2
from helpers import SAMPLE_VIDEO, truth


def source(lores_size=(640, 480), **kwargs):
    return PiCameraSource(lores_size=lores_size, camera_factory=lambda: FakePicamera2(SAMPLE_VIDEO, **kwargs))


def test_lores_is_yuv420_and_y_plane_respects_the_stride():
    cam = source(lores_size=(600, 450))  # 600 is not a multiple of 64: rows are padded
    try:
        lores = cam.camera.stream_configuration("lores")
        assert lores["format"] == "YUV420" and lores["size"] == (600, 450)
        assert cam.stride == 640
        frame = next(cam.frames())
        assert frame.image.shape == (450, 600) and frame.image.dtype == np.uint8
        assert frame.display.shape == (720, 1280, 3)
        # No padding junk (value 17 fills the padding) leaks into the Y plane's right edge.
        assert not np.all(frame.image[:, -1] == 17)
    finally:
        cam.close()
    assert cam.camera.closed and not cam.camera.started


def test_y_plane_rejects_a_short_buffer():
    with pytest.raises(SourceError):
        y_plane(np.zeros((100, 320), np.uint8), 640, 480)


def test_reads_digits_from_the_camera_and_draws_on_main():
    cam = source()
    pipeline = Pipeline(Classifier.from_path(BUNDLED_MODEL))
    try:
        frames = []
        for frame in cam.frames():
            frames.append(pipeline.process(frame))
            if len(frames) == 5:
                break
    finally:
        cam.close()
    expected = set(truth()["video"]["frames"][0]["numbers"])
    seen = {r.text for result in frames for r in result.readings}
    assert len(expected & seen) >= 0.7 * len(expected), (expected, seen)
    picture = annotate(frames[-1], fps=10)
    assert picture.shape[:2] == (720, 1280)
    assert cam.camera.released == cam.camera.requests  # every request went back to the camera


def test_newest_frame_only_under_a_slow_pipeline():
    cam = source()
    try:
        iterator = cam.frames()
        next(iterator)
        time.sleep(0.5)  # the pipeline is busy; the grabber keeps going
        frame = next(iterator)
        assert cam.dropped > 0
        assert frame.index == 1  # one frame handed out, the stale ones dropped
    finally:
        cam.close()


def test_camera_failure_ends_the_source_with_a_clear_error():
    cam = source(fail_after=3)
    with pytest.raises(SourceError, match="timed out"):
        for _ in cam.frames():
            pass
    cam.close()


def test_missing_picamera2_gives_a_clear_error():
    from conftest import run_cli, assert_one_line_error

    assert_one_line_error(run_cli("edge-app", "run", "--source", "picamera2", "--headless"), "picamera2 is not installed")
