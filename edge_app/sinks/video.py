"""Annotated output: a video file, or one image per input image in a folder."""
from __future__ import annotations

import os

import cv2

from ..errors import UserError


class VideoSink:
    needs_picture = True

    def __init__(self, path: str, fps: float | None):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.path = path
        self.fps = fps or 10.0
        self._writer = None
        self._size = None

    def write(self, result, picture) -> None:
        h, w = picture.shape[:2]
        if self._writer is None:
            fourcc = cv2.VideoWriter_fourcc(*("MJPG" if self.path.lower().endswith(".avi") else "mp4v"))
            self._writer = cv2.VideoWriter(self.path, fourcc, self.fps, (w, h))
            if not self._writer.isOpened():
                raise UserError(f"cannot write video {self.path}")
            self._size = (w, h)
        if (w, h) != self._size:
            picture = cv2.resize(picture, self._size)
        self._writer.write(picture)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.release()


class ImageDirSink:
    """For image inputs: the annotated image under the input's own file name."""

    needs_picture = True

    def __init__(self, directory: str):
        os.makedirs(directory, exist_ok=True)
        self.directory = directory

    def write(self, result, picture) -> None:
        name = os.path.splitext(os.path.basename(result.frame.source))[0] or f"frame{result.frame.index:06d}"
        if result.frame.source.startswith(("usb:", "picamera2")):
            name = f"frame{result.frame.index:06d}"
        path = os.path.join(self.directory, name + ".jpg")
        tmp = os.path.join(self.directory, "." + name + ".tmp.jpg")
        if not cv2.imwrite(tmp, picture):
            raise UserError(f"cannot write {path}")
        os.replace(tmp, path)

    def close(self) -> None:
        pass


class RawRecorder:
    """The frames exactly as the pipeline saw them, losslessly, so a replay of the
    recording reproduces a live run's readings frame for frame."""

    needs_picture = False

    def __init__(self, path: str, fps: float | None):
        if not path.lower().endswith(".avi"):
            raise UserError(f"raw recordings are lossless FFV1 in .avi: {path}")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.path = path
        self.fps = fps or 10.0
        self._writer = None

    def write(self, result, picture=None) -> None:
        from ..locate import to_bgr

        image = to_bgr(result.frame.image)
        if self._writer is None:
            h, w = image.shape[:2]
            self._writer = cv2.VideoWriter(self.path, cv2.VideoWriter_fourcc(*"FFV1"), self.fps, (w, h))
            if not self._writer.isOpened():
                raise UserError(f"cannot record {self.path} (this OpenCV lacks FFV1)")
        self._writer.write(image)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.release()
