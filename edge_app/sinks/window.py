"""A preview window where OpenCV has a GUI and a display exists; 's' saves a snapshot."""
from __future__ import annotations

import os
import time

import cv2


def gui_available() -> bool:
    """OpenCV built with a GUI backend and a display to show it on."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and os.name != "nt":
        return False
    info = cv2.getBuildInformation()
    gui = info[info.find("GUI:"):].splitlines()[0] if "GUI:" in info else ""
    return "NONE" not in gui.upper() and gui != ""


class WindowSink:
    needs_picture = True

    def __init__(self, title: str = "pi-digits", snapshot_dir: str = "snapshots"):
        self.title = title
        self.snapshot_dir = snapshot_dir
        self.quit_requested = False
        self.snapshots: list[str] = []

    def write(self, result, picture) -> None:
        cv2.imshow(self.title, picture)
        key = cv2.waitKey(1) & 0xFF
        if key in (ord("q"), 27):
            self.quit_requested = True
        elif key == ord("s"):
            os.makedirs(self.snapshot_dir, exist_ok=True)
            path = os.path.join(self.snapshot_dir, time.strftime("snapshot-%Y%m%d-%H%M%S") + f"-{result.frame.index}.png")
            cv2.imwrite(path, picture)
            self.snapshots.append(path)

    def close(self) -> None:
        cv2.destroyWindow(self.title)
