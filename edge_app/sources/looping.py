"""Play a recording again and again, as if it were a camera (demos, soak tests)."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterator

from ..frames import Frame


class LoopingSource:
    def __init__(self, open_source: Callable):
        self._open = open_source
        self._source = open_source()
        self.uri = self._source.uri
        self.fps = self._source.fps
        self.total = None
        self._stopped = False

    def frames(self) -> Iterator[Frame]:
        index = 0
        while not self._stopped:
            for frame in self._source.frames():
                yield replace(frame, index=index)
                index += 1
                if self._stopped:
                    return
            self._source.close()
            self._source = self._open()

    def close(self) -> None:
        self._stopped = True
        self._source.close()
