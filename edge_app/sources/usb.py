"""A USB camera through OpenCV, always handing out the newest frame."""
from __future__ import annotations

import time
from typing import Iterator

import cv2

from ..errors import SourceError
from ..frames import Frame
from .latest import LatestFrame


class UsbCameraSource:
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
        self._latest = LatestFrame(self.uri, stall_timeout)
        self._latest.start(self._grab, "usb-grabber")

    @property
    def dropped(self) -> int:
        return self._latest.dropped

    def _grab(self) -> None:
        while self._latest.open:
            ok, image = self._capture.read()
            if not ok:
                time.sleep(0.05)  # nothing this time; a lasting silence is a stall
                continue
            self._latest.put((image, self._latest.elapsed()))

    def frames(self) -> Iterator[Frame]:
        index = 0
        while (item := self._latest.take()) is not None:
            image, t = item
            yield Frame(image=image, index=index, timestamp=round(t, 6), source=self.uri)
            index += 1

    def close(self) -> None:
        self._latest.close()
        self._capture.release()
