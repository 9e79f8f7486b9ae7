"""Keep a live camera going: reopen it with backoff when it fails, stalls or vanishes."""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Callable, Iterator

from ..errors import SourceError
from ..frames import Frame

log = logging.getLogger("edge_app.camera")


class ResilientSource:
    """Wraps ``open_source()``; numbering and timestamps run on across reopenings.

    A source whose frames simply end (a video file played as a camera) ends this one
    too. Faults are counted for the status page; ``give_up_after`` consecutive failed
    openings end the run with the last error.
    """

    def __init__(self, open_source: Callable, first_backoff: float = 0.5, max_backoff: float = 10.0,
                 give_up_after: int | None = None, sleep: Callable[[float], None] = time.sleep,
                 on_fault: Callable[[str], None] | None = None):
        self._open = open_source
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff
        self._give_up_after = give_up_after
        self._sleep = sleep
        self.on_fault = on_fault  # told of each fault, e.g. to show it in the preview
        self._source = open_source()
        self.uri = self._source.uri
        self.fps = self._source.fps
        self.total = None
        self.faults = 0
        self.reopens = 0
        self.last_fault: str | None = None
        self._stopped = False
        self._start = time.monotonic()

    @property
    def dropped(self) -> int:
        return getattr(self._source, "dropped", 0) if self._source else 0

    def frames(self) -> Iterator[Frame]:
        index = 0
        backoff = self._first_backoff
        failed_openings = 0
        while not self._stopped:
            try:
                if self._source is None:
                    self._source = self._open()
                    self.reopens += 1
                    log.warning("camera %s reopened after %d fault(s)", self.uri, self.faults)
                failed_openings = 0
                for frame in self._source.frames():
                    backoff = self._first_backoff
                    yield replace(frame, index=index, timestamp=round(time.monotonic() - self._start, 6))
                    index += 1
                    if self._stopped:
                        return
                return
            except SourceError as exc:
                self.faults += 1
                self.last_fault = str(exc)
                log.warning("camera %s fault %d: %s; retrying in %.1f s", self.uri, self.faults, exc, backoff)
                if self.on_fault is not None:
                    self.on_fault(f"camera fault {self.faults}: {exc}; retrying in {backoff:.1f} s")
                self._close_current()
                failed_openings += 1
                if self._give_up_after is not None and failed_openings > self._give_up_after:
                    raise
                self._sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)

    def _close_current(self) -> None:
        if self._source is not None:
            try:
                self._source.close()
            except SourceError as exc:
                log.warning("closing %s failed: %s", self.uri, exc)
            self._source = None

    def close(self) -> None:
        self._stopped = True
        self._close_current()
