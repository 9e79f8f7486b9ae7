"""The window sink: a snapshot on 's', quit on 'q'; no window without a display."""
import os

import numpy as np

from edge_app.sinks import window
from edge_app.frames import Frame


class Result:
    frame = Frame(np.zeros((10, 10), np.uint8), 7, 0.0, "usb:0")


def test_snapshot_on_s_and_quit_on_q(tmp_path, monkeypatch):
    keys = iter([ord("s"), -1, ord("q")])
    shown = []
    monkeypatch.setattr(window.cv2, "imshow", lambda title, picture: shown.append(picture.shape))
    monkeypatch.setattr(window.cv2, "waitKey", lambda delay: next(keys))
    sink = window.WindowSink(snapshot_dir=str(tmp_path / "snaps"))
    picture = np.full((48, 64, 3), 128, np.uint8)
    for _ in range(3):
        sink.write(Result(), picture)
    assert len(shown) == 3
    assert len(sink.snapshots) == 1 and os.path.getsize(sink.snapshots[0]) > 0
    assert sink.snapshots[0].endswith("-7.png")
    assert sink.quit_requested


def test_no_window_without_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert window.gui_available() is False
