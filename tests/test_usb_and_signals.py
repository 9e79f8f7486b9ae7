"""USB cameras hand out the newest frame only; SIGTERM and SIGINT leave complete files."""
import json
import os
import signal
import subprocess
import sys
import time

import cv2
import numpy as np
import pytest

from edge_app.sources import usb

from conftest import ROOT
from helpers import SAMPLE_VIDEO


class FakeCapture:
    """cv2.VideoCapture for a camera delivering 100 frames a second."""

    def __init__(self, index):
        self.index = index
        self.count = 0
        self.released = False

    def isOpened(self):
        return True

    def set(self, prop, value):
        return True

    def get(self, prop):
        return 100.0 if prop == cv2.CAP_PROP_FPS else 0.0

    def read(self):
        time.sleep(0.01)
        self.count += 1
        return True, np.full((48, 64, 3), self.count % 256, np.uint8)

    def release(self):
        self.released = True


def test_usb_camera_gives_the_newest_frame(monkeypatch):
    monkeypatch.setattr(usb.cv2, "VideoCapture", FakeCapture)
    camera = usb.UsbCameraSource(0)
    try:
        frames = camera.frames()
        first = next(frames)
        time.sleep(0.3)  # a slow pipeline: about 30 frames arrive meanwhile
        second = next(frames)
        assert camera.dropped >= 10
        # The frame handed out is the latest one, not the one after `first`.
        assert int(second.image[0, 0, 0]) - int(first.image[0, 0, 0]) >= 10
        assert second.index == first.index + 1
    finally:
        camera.close()
    assert camera._capture.released


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_leaves_a_playable_video_and_a_whole_log(tmp_path, signum):
    video, log = tmp_path / "out.mp4", tmp_path / "log.jsonl"
    app = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "edge-app"), "run", "--source", SAMPLE_VIDEO,
                            "--loop", "--headless", "--out", str(video), "--jsonl", str(log)],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and (not log.exists() or log.read_text().count("\n") < 3):
        time.sleep(0.1)
    app.send_signal(signum)
    out, err = app.communicate(timeout=30)
    assert app.returncode == 0, err
    lines = log.read_text().splitlines()
    records = [json.loads(line) for line in lines]  # every line parses
    assert len(records) >= 3 and log.read_text().endswith("\n")
    capture = cv2.VideoCapture(str(video))
    frames = 0
    while capture.read()[0]:
        frames += 1
    assert frames == len(records)
    assert f"{len(records)} frames:" in out
