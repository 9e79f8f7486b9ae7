"""A stand-in for picamera2.Picamera2 that behaves like the real one for every call the
app makes, fed from a video file. Shapes follow picamera2's request.make_array:
XBGR8888 -> (h, w, 4); YUV420 -> (h * 3 / 2, stride) with the rows padded to the stride."""
from __future__ import annotations

import threading

import cv2
import numpy as np


def _align(value: int, to: int) -> int:
    return (value + to - 1) // to * to


class FakeRequest:
    def __init__(self, camera, bgr):
        self._camera = camera
        self._bgr = bgr
        self.released = False

    def make_array(self, name):
        if self.released:
            raise RuntimeError("request already released")
        config = self._camera.camera_config[name]
        w, h = config["size"]
        image = cv2.resize(self._bgr, (w, h), interpolation=cv2.INTER_AREA)
        if config["format"] == "XBGR8888":
            return cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)
        if config["format"] == "YUV420":
            planar = cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420)  # (h * 3 / 2, w)
            stride = config["stride"]
            padded = np.full((h * 3 // 2, stride), 17, np.uint8)  # junk in the padding, as on a real buffer
            padded[:h, :w] = planar[:h]
            # U and V rows are half as wide: two of them share one row of the array.
            chroma = planar[h:].reshape(-1, w // 2)
            padded[h:, : w // 2] = chroma[0::2]
            padded[h:, stride // 2: stride // 2 + w // 2] = chroma[1::2]
            return padded
        raise RuntimeError("Format " + config["format"] + " not supported")

    def release(self):
        self.released = True
        self._camera.released += 1


class FakePicamera2:
    instances: list = []

    def __init__(self, video_path, fail_after=None):
        self._capture = cv2.VideoCapture(str(video_path))
        self.camera_config = None
        self.started = False
        self.closed = False
        self.released = 0
        self.requests = 0
        self.fail_after = fail_after
        self.preview_shown = None
        self._lock = threading.Lock()
        FakePicamera2.instances.append(self)

    def create_video_configuration(self, main=None, lores=None, buffer_count=6, **kwargs):
        main = dict(main or {})
        main.setdefault("format", "XBGR8888")
        main.setdefault("size", (1280, 720))
        config = {"use_case": "video", "buffer_count": buffer_count, "main": main, "lores": dict(lores) if lores else None,
                  "raw": None, "controls": {"FrameDurationLimits": (33333, 33333)}, "display": "main", "encode": "main"}
        return config

    def configure(self, config):
        if self.started:
            raise RuntimeError("Camera must be stopped before configuring")
        lores = config["lores"]
        if lores is not None:
            if lores["format"] not in ("YUV420", "YVU420"):
                raise RuntimeError("lores stream must be YUV")
            lw, lh = lores["size"]
            mw, mh = config["main"]["size"]
            if lw > mw or lh > mh:
                raise RuntimeError("lores stream dimensions may not exceed main stream")
            lores["stride"] = _align(lw, 64)  # the ISP pads rows, so stride > width here
            lores["framesize"] = lores["stride"] * lh * 3 // 2
        main = config["main"]
        main["stride"] = main["size"][0] * 4
        self.camera_config = config

    def stream_configuration(self, name="main"):
        return self.camera_config[name]

    def start(self, config=None, show_preview=False):
        if self.camera_config is None:
            raise RuntimeError("Camera has not been configured")
        self.started = True
        self.preview_shown = show_preview

    def capture_request(self, wait=None, flush=None):
        if not self.started:
            raise RuntimeError("Camera not started")
        with self._lock:
            self.requests += 1
            if self.fail_after is not None and self.requests > self.fail_after:
                raise RuntimeError("Camera frontend has timed out!")
            ok, bgr = self._capture.read()
            if not ok:
                self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, bgr = self._capture.read()
        return FakeRequest(self, bgr)

    def stop(self):
        self.started = False

    def close(self):
        self.started = False
        self.closed = True
        self._capture.release()
