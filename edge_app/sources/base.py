"""The frame-source interface: anything that yields Frames and can be closed."""
from __future__ import annotations

from typing import Iterator, Protocol

from ..frames import Frame


class Source(Protocol):
    uri: str
    fps: float | None  # frames per second where known (video files, cameras)
    total: int | None  # frames in the source where known, for progress bars

    def frames(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...
