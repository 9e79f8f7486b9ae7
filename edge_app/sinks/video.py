"""Annotated output: a video file, or one image per input image in a folder."""
from __future__ import annotations

import errno
import os
import resource
import shutil

import cv2

from ..errors import UserError
from ..fsutil import atomic_path


def write_image(path: str, picture) -> None:
    """Write an image whole or not at all (temporary file, then rename)."""
    with atomic_path(path) as tmp:
        if not cv2.imwrite(tmp, picture):
            raise UserError(f"cannot write {path}")


def room_for(path: str) -> float:
    """Bytes the file at ``path`` may still grow by: free disk space, or a file-size
    limit on this process if that is smaller."""
    room = float(shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free)
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY:
        size = os.path.getsize(path) if os.path.exists(path) else 0
        room = min(room, float(limit - size))
    return room


class VideoSink:
    needs_picture = True

    def __init__(self, path: str, fps: float | None):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.path = path
        self.fps = fps or 10.0
        self._writer = None
        self._size = None
        self._frames = 0

    def write(self, result, picture) -> None:
        self._check_room()
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
        self._frames += 1

    def _check_room(self) -> None:
        """OpenCV's writer does not report a full disk, and a video cut off mid-write is
        unplayable. So stop while a few frames and the index still fit: closing then
        leaves a playable file of everything written so far."""
        written = os.path.getsize(self.path) if self._frames and os.path.exists(self.path) else 0
        per_frame = written / self._frames if self._frames else 0
        if room_for(self.path) < 64 * 1024 + 4 * per_frame:
            raise OSError(errno.ENOSPC, "no room left for the video; recording stopped")

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
        write_image(os.path.join(self.directory, name + ".jpg"), picture)

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
