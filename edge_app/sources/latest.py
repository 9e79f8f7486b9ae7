"""Latest-frame-only hand-over between a camera's grabber thread and the pipeline.

The grabber puts every frame it captures; the pipeline takes the newest one and any it
never took are counted as dropped, so a slow pipeline skips stale frames instead of
falling behind reality. A camera that delivers nothing for ``stall_timeout`` seconds,
or whose grabber failed, makes ``take`` raise SourceError.
"""
from __future__ import annotations

import threading
import time

from ..errors import SourceError


class LatestFrame:
    def __init__(self, name: str, stall_timeout: float = 5.0):
        self.name = name
        self.stall_timeout = stall_timeout
        self.dropped = 0
        self._item = None
        self._error: Exception | None = None
        self._open = True
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._started = time.monotonic()

    def start(self, grab, thread_name: str) -> None:
        """Run the camera's ``grab`` loop (it puts frames while ``open``) in its own
        thread; ``elapsed`` counts from now."""
        self._started = time.monotonic()
        self._thread = threading.Thread(target=grab, name=thread_name, daemon=True)
        self._thread.start()

    def elapsed(self) -> float:
        """Seconds since the grabber started: the frames' timestamps."""
        return time.monotonic() - self._started

    def put(self, item) -> None:
        with self._condition:
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._condition.notify()

    def fail(self, error: Exception) -> None:
        with self._condition:
            self._error = error
            self._condition.notify_all()

    def take(self):
        """The newest item; None once closed."""
        with self._condition:
            started = time.monotonic()
            while self._item is None and self._error is None and self._open:
                self._condition.wait(timeout=0.25)
                if time.monotonic() - started > self.stall_timeout:
                    raise SourceError(f"{self.name} delivered no frame for {self.stall_timeout:.0f} s")
            if self._item is None:
                if self._error is not None:
                    raise SourceError(f"{self.name} failed: {self._error}")
                return None
            item, self._item = self._item, None
            return item

    def close(self) -> None:
        """Stop handing over frames and let the grabber thread finish."""
        with self._condition:
            self._open = False
            self._condition.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)

    @property
    def open(self) -> bool:
        return self._open
