"""The Raspberry Pi camera through picamera2 (from Raspberry Pi OS's apt, never pip).

Two streams: ``main`` (e.g. 1280x720, XBGR8888) for the preview and recordings, and
``lores`` (640x480 by default) for the pipeline. On a Pi 4 the lores stream must be
YUV420; its Y plane is the greyscale frame the pipeline reads, taken row by row within
the stream's stride because rows may be padded beyond the width. A grabber thread keeps
only the newest request, so the pipeline never works on stale frames; frames it skipped
are counted in ``dropped``.
"""
from __future__ import annotations

from typing import Callable, Iterator

import numpy as np

from ..errors import SourceError
from ..frames import Frame
from .latest import LatestFrame


def _picamera2_class():
    try:
        from picamera2 import Picamera2
    except ImportError:
        raise SourceError(
            "picamera2 is not installed: on Raspberry Pi OS run 'sudo apt install python3-picamera2' and use a "
            "virtual environment made with --system-site-packages (deploy/install.sh does both)"
        ) from None
    return Picamera2


def y_plane(yuv420: np.ndarray, width: int, height: int) -> np.ndarray:
    """The luminance plane of a picamera2 YUV420 array of shape (height * 3 / 2, stride)."""
    if yuv420.ndim != 2 or yuv420.shape[0] < height or yuv420.shape[1] < width:
        raise SourceError(f"lores frame of shape {yuv420.shape} does not hold a {width}x{height} Y plane")
    return np.ascontiguousarray(yuv420[:height, :width])


class PiCameraSource:
    def __init__(self, main_size=(1280, 720), lores_size=(640, 480), camera_factory: Callable | None = None, preview: bool = False,
                 stall_timeout: float = 5.0):
        factory = camera_factory or _picamera2_class()
        self.uri = "picamera2"
        self.total = None
        try:
            self.camera = factory()
            config = self.camera.create_video_configuration(
                main={"size": tuple(main_size), "format": "XBGR8888"},
                lores={"size": tuple(lores_size), "format": "YUV420"},
                buffer_count=4,
            )
            self.camera.configure(config)
            lores = self.camera.stream_configuration("lores")
            main = self.camera.stream_configuration("main")
            # The camera may round sizes (alignment); use what it actually configured.
            self.lores_size = tuple(lores["size"])
            self.main_size = tuple(main["size"])
            self.stride = int(lores["stride"])
            self.camera.start(show_preview=preview)
        except SourceError:
            raise
        except (RuntimeError, OSError, IndexError) as exc:
            raise SourceError(f"cannot start the Pi camera: {exc}") from None
        controls = config.get("controls", {}) if isinstance(config, dict) else {}
        frame_duration = controls.get("FrameDurationLimits", (33333, 33333))[0]
        self.fps = 1e6 / frame_duration if frame_duration else 30.0
        self._latest = LatestFrame("the Pi camera", stall_timeout)
        self._latest.start(self._grab, "picamera2-grabber")

    @property
    def dropped(self) -> int:
        return self._latest.dropped

    def _grab(self) -> None:
        width, height = self.lores_size
        while self._latest.open:
            try:
                request = self.camera.capture_request()
                try:
                    grey = y_plane(request.make_array("lores"), width, height)
                    main = np.ascontiguousarray(request.make_array("main")[..., :3])
                finally:
                    request.release()
            except Exception as exc:  # whatever the camera raises ends this source; the caller reopens it
                self._latest.fail(exc)
                return
            self._latest.put((grey, main, self._latest.elapsed()))

    def frames(self) -> Iterator[Frame]:
        index = 0
        while (item := self._latest.take()) is not None:
            grey, main, t = item
            yield Frame(image=grey, index=index, timestamp=round(t, 6), source=self.uri, display=main)
            index += 1

    def close(self) -> None:
        self._latest.close()
        for step in (self.camera.stop, self.camera.close):
            try:
                step()
            except RuntimeError:  # already stopped or closed: nothing left to release
                pass
