"""A USB camera through OpenCV, always handing out the newest frame."""
from __future__ import annotations

import threading
import time
from typing import Iterator

import cv2

from ..errors import SourceError
from ..frames import Frame


class UsbCameraSource:
    """A grabber thread keeps only the latest frame, so a slow pipeline skips stale frames
    instead of queueing them and falling behind reality."""

    def __init__(self, index: int, width: int | None = None, height: int | None = None, stall_timeout: float = 5.0):
        self.uri = f"usb:{index}"
        self._capture = cv2.VideoCapture(index)
        if not self._capture.isOpened():
            raise SourceError(f"cannot open USB camera {index}")
        if width and height:
            self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        fps = self._capture.get(cv2.CAP_PROP_FPS)
        self.fps = fps if fps and fps > 0 else None
        self.total = None
        self.dropped = 0
        self.stall_timeout = stall_timeout
        self._latest = None
        self._condition = threading.Condition()
        self._running = True
        self._start = time.monotonic()
        self._thread = threading.Thread(target=self._grab, name="usb-grabber", daemon=True)
        self._thread.start()

    def _grab(self) -> None:
        while self._running:
            ok, image = self._capture.read()
            if not ok:
                time.sleep(0.05)
                continue
            with self._condition:
                if self._latest is not None:
                    self.dropped += 1
                self._latest = (image, time.monotonic() - self._start)
                self._condition.notify()

    def frames(self) -> Iterator[Frame]:
        index = 0
        while self._running:
            with self._condition:
                waited = time.monotonic()
                while self._latest is None and self._running:
                    self._condition.wait(timeout=0.25)
                    if time.monotonic() - waited > self.stall_timeout:
                        raise SourceError(f"{self.uri} delivered no frame for {self.stall_timeout:.0f} s")
                if self._latest is None:
                    break
                image, t = self._latest
                self._latest = None
            yield Frame(image=image, index=index, timestamp=round(t, 6), source=self.uri)
            index += 1

    def close(self) -> None:
        self._running = False
        with self._condition:
            self._condition.notify_all()
        self._thread.join(timeout=2)
        self._capture.release()
