"""Open a frame source from what the user typed: a path, a glob, usb:N or picamera2."""
from __future__ import annotations

import os

from ..errors import SourceError
from .base import Source
from .images import ImageSource, is_image_path

VIDEO_EXTENSIONS = (".mp4", ".avi", ".mkv", ".mov", ".m4v", ".webm", ".h264", ".mjpeg")


def open_replay(spec: str) -> Source:
    """A recorded input: a video file, an image, a folder or glob of images."""
    if os.path.isdir(spec) or any(ch in spec for ch in "*?[") or is_image_path(spec):
        return ImageSource(spec)
    if not os.path.exists(spec):
        raise SourceError(f"input not found: {spec}")
    if spec.lower().endswith(VIDEO_EXTENSIONS):
        from .video import VideoFileSource

        return VideoFileSource(spec)
    raise SourceError(f"not a video or image file: {spec} (videos: {', '.join(VIDEO_EXTENSIONS)})")


def open_live(spec: str, width: int | None = None, height: int | None = None, preview: bool = False) -> Source:
    """A live camera: usb:N (OpenCV) or picamera2 (Raspberry Pi camera, with its own
    preview window when ``preview``; otherwise picamera2 runs its null preview)."""
    if spec.startswith("usb:"):
        from .usb import UsbCameraSource

        try:
            index = int(spec[4:])
        except ValueError:
            raise SourceError(f"bad camera {spec!r}: use usb:N with N a camera index") from None
        return UsbCameraSource(index, width, height)
    if spec == "picamera2":
        from .picamera2 import PiCameraSource

        return PiCameraSource(main_size=(1280, 720), lores_size=(width or 640, height or 480), preview=preview)
    if os.path.exists(spec):
        # A recording played as if it were a camera: handy for trying `run` without one.
        return open_replay(spec)
    raise SourceError(f"unknown source {spec!r}: use usb:N, picamera2, or a video file")
