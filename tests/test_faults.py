"""Faults an unattended device meets: stalled cameras, full disks, kills, empty videos."""
import json
import os
import resource
import signal
import subprocess
import sys
import time

import cv2
import numpy as np
import pytest

from edge_app.errors import SourceError
from edge_app.sources import usb
from edge_app.sources.picamera2 import PiCameraSource
from edge_app.sources.resilient import ResilientSource

from conftest import ROOT, assert_one_line_error, run_cli
from fake_picamera2 import FakePicamera2
from helpers import SAMPLE_VIDEO

EDGE_APP = os.path.join(os.path.dirname(sys.executable), "edge-app")


class StallingCapture:
    """A USB camera that delivers three frames, then nothing."""

    def __init__(self, index):
        self.count = 0

    def isOpened(self):
        return True

    def set(self, *args):
        return True

    def get(self, prop):
        return 30.0

    def read(self):
        self.count += 1
        if self.count > 3:
            time.sleep(0.05)
            return False, None
        return True, np.full((40, 60, 3), 200, np.uint8)

    def release(self):
        pass


def test_a_stalled_usb_camera_is_a_fault_and_is_reopened(monkeypatch):
    monkeypatch.setattr(usb.cv2, "VideoCapture", StallingCapture)
    source = ResilientSource(lambda: usb.UsbCameraSource(0, stall_timeout=0.5), sleep=lambda s: None)
    frames = []
    for frame in source.frames():
        frames.append(frame)
        if len(frames) == 3 and source.faults >= 2:
            break
        if source.faults >= 3:
            break
    source.close()
    assert source.faults >= 1 and "no frame" in source.last_fault
    assert source.reopens >= 1 and len(frames) >= 2


class FrozenPicamera2(FakePicamera2):
    """After two frames capture_request hangs, as when a camera's frontend stops."""

    def capture_request(self, wait=None, flush=None):
        if self.requests >= 2:
            time.sleep(3)
            raise RuntimeError("Camera frontend has timed out!")
        return super().capture_request()


def test_a_frozen_pi_camera_raises_a_stall():
    camera = PiCameraSource(camera_factory=lambda: FrozenPicamera2(SAMPLE_VIDEO), stall_timeout=0.6)
    with pytest.raises(SourceError, match="no frame for"):
        for _ in camera.frames():
            pass
    camera.close()


def test_wrong_sized_frames_from_a_camera_are_read_as_they_come(classifier):
    from edge_app.frames import Frame
    from edge_app.pipeline import Pipeline

    pipeline = Pipeline(classifier)
    for shape in [(480, 640, 3), (240, 320, 3), (720, 1280, 4), (480, 640)]:
        result = pipeline.process(Frame(np.full(shape, 200, np.uint8), 0, 0.0, "usb:0"))
        assert result.accepted.sum() == 0


def test_zero_frame_video(tmp_path):
    empty = tmp_path / "empty.avi"
    writer = cv2.VideoWriter(str(empty), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    writer.release()
    assert_one_line_error(run_cli("edge-app", "replay", empty), "video")


def test_file_size_limit_stops_the_log_cleanly(tmp_path):
    """A full disk, simulated by a file-size limit: the log stops on a whole line, with a message."""
    log = tmp_path / "log.jsonl"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (6000, 6000))

    result = subprocess.run([EDGE_APP, "replay", SAMPLE_VIDEO, "--jsonl", str(log), "--quiet"], cwd=ROOT,
                            capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "stopped writing" in result.stderr and "Traceback" not in result.stderr
    text = log.read_text()
    assert 0 < len(text) <= 6000 and text.endswith("\n")
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["frame"] for r in records] == list(range(len(records)))
    assert "40 frames:" in result.stdout  # the run itself went on to the end


def test_sigkill_loses_at_most_the_line_being_written(tmp_path):
    log = tmp_path / "log.jsonl"
    app = subprocess.Popen([EDGE_APP, "run", "--source", SAMPLE_VIDEO, "--loop", "--headless", "--jsonl", str(log)],
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and (not log.exists() or log.read_text().count("\n") < 12):
        time.sleep(0.05)
    app.send_signal(signal.SIGKILL)
    app.wait(timeout=10)
    lines = log.read_text().split("\n")
    whole, last = lines[:-1], lines[-1]
    records = [json.loads(line) for line in whole]  # every complete line parses
    assert len(records) >= 10
    assert last == "" or not last.endswith("}")  # at most one partial line, at the end


def test_sigterm_during_replay_keeps_outputs_whole(tmp_path):
    log, video = tmp_path / "log.jsonl", tmp_path / "out.mp4"
    app = subprocess.Popen([EDGE_APP, "replay", SAMPLE_VIDEO, "--jsonl", str(log), "--out", str(video), "--quiet"],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and (not log.exists() or log.stat().st_size < 3000):
        time.sleep(0.02)
    app.send_signal(signal.SIGTERM)
    out, err = app.communicate(timeout=30)
    assert app.returncode == 0, err
    records = [json.loads(line) for line in log.read_text().splitlines()]
    capture = cv2.VideoCapture(str(video))
    count = 0
    while capture.read()[0]:
        count += 1
    assert 0 < len(records) == count <= 40


def test_a_full_disk_stops_the_video_leaving_it_playable(tmp_path):
    video, log = tmp_path / "out.mp4", tmp_path / "log.jsonl"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    result = subprocess.run([EDGE_APP, "replay", SAMPLE_VIDEO, "--out", str(video), "--jsonl", str(log), "--quiet"],
                            cwd=ROOT, capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "stopped writing" in result.stderr and "out.mp4" in result.stderr and "Traceback" not in result.stderr
    capture = cv2.VideoCapture(str(video))
    frames = 0
    while capture.read()[0]:
        frames += 1
    assert 0 < frames < 40  # playable, cut short
    assert len([json.loads(line) for line in log.read_text().splitlines()]) == 40  # the log went on


def test_sigterm_stops_a_run_waiting_on_a_silent_camera(tmp_path):
    """A camera that delivers nothing: SIGTERM still ends the run at once, cleanly."""
    script = tmp_path / "silent.py"
    script.write_text(
        "import sys, time\n"
        f"sys.path.insert(0, {os.path.join(ROOT, 'tests')!r})\n"
        "from edge_app.sources import usb\n"
        "class Silent:\n"
        "    def __init__(self, index): pass\n"
        "    def isOpened(self): return True\n"
        "    def set(self, *a): return True\n"
        "    def get(self, p): return 30.0\n"
        "    def read(self):\n"
        "        time.sleep(0.05)\n"
        "        return False, None\n"
        "    def release(self): pass\n"
        "usb.cv2.VideoCapture = Silent\n"
        "from edge_app.cli import main\n"
        "sys.exit(main(['run', '--source', 'usb:0', '--headless', '--jsonl', sys.argv[1]]))\n")
    app = subprocess.Popen([sys.executable, str(script), str(tmp_path / "log.jsonl")], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    started = time.time()
    app.send_signal(signal.SIGTERM)
    out, err = app.communicate(timeout=20)
    assert time.time() - started < 4, "the run did not stop promptly"
    assert app.returncode == 0, err
    assert "0 frames:" in out
