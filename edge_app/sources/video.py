"""Frames from a video file, timestamped by their position in the file."""
from __future__ import annotations

import os
from typing import Iterator

# FFmpeg's own complaints about a broken file ("moov atom not found") would come on top
# of the one-line error this module gives; a user may still turn them on.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")

import cv2  # noqa: E402  (after the log settings it reads)

from ..errors import SourceError
from ..frames import Frame


class VideoFileSource:
    def __init__(self, path: str):
        if not os.path.isfile(path):
            raise SourceError(f"video not found: {path}")
        self.uri = path
        self._capture = cv2.VideoCapture(path)
        # A phone stores a video shot upright as sideways frames plus a display matrix;
        # OpenCV turns them upright by default, said here so it never stops doing so.
        if hasattr(cv2, "CAP_PROP_ORIENTATION_AUTO"):
            self._capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        if not self._capture.isOpened():
            raise SourceError(f"cannot open video: {path} (not a video, or a codec this OpenCV lacks)")
        ok, first = self._capture.read()
        if not ok or first is None:
            self._capture.release()
            raise SourceError(f"video has no readable frames: {path}")
        self._first = first
        fps = self._capture.get(cv2.CAP_PROP_FPS)
        self.fps = fps if fps and fps > 0 else None
        count = int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT))
        self.total = count if count > 0 else None
        self.read_errors = 0

    def frames(self) -> Iterator[Frame]:
        image, index = self._first, 0
        while image is not None:
            t = index / self.fps if self.fps else float(index)
            yield Frame(image=image, index=index, timestamp=round(t, 6), source=self.uri)
            ok, image = self._capture.read()
            index += 1
            if not ok:
                image = None

    def close(self) -> None:
        self._capture.release()
