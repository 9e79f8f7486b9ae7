"""Frames from one image, a folder of images, or a glob: one frame per image."""
from __future__ import annotations

import glob
import os
from typing import Iterator

import cv2

from ..errors import SourceError
from ..frames import Frame

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm")


def is_image_path(path: str) -> bool:
    return path.lower().endswith(IMAGE_EXTENSIONS)


def read_image(path: str):
    """Decode like cv2.imread's default: BGR, EXIF orientation applied. None if it fails."""
    return cv2.imread(path, cv2.IMREAD_COLOR)


class ImageSource:
    def __init__(self, spec: str):
        if os.path.isdir(spec):
            entries = sorted(os.path.join(spec, name) for name in os.listdir(spec))
            paths = [p for p in entries if os.path.isfile(p)]
        elif any(ch in spec for ch in "*?["):
            paths = sorted(p for p in glob.glob(spec) if os.path.isfile(p))
        elif os.path.isfile(spec):
            paths = [spec]
        else:
            raise SourceError(f"input not found: {spec}")
        self.uri = spec
        self.paths = [p for p in paths if is_image_path(p)] if len(paths) > 1 or os.path.isdir(spec) else paths
        self.skipped = [p for p in paths if p not in self.paths]
        if not self.paths:
            raise SourceError(f"no images in {spec}")
        self.fps = None
        self.total = len(self.paths)
        self.unreadable: list[str] = []

    def frames(self) -> Iterator[Frame]:
        single = len(self.paths) == 1 and not os.path.isdir(self.uri)
        for index, path in enumerate(self.paths):
            image = read_image(path)
            if image is None:
                if single:
                    raise SourceError(f"cannot decode image: {path}")
                self.unreadable.append(path)
                continue
            yield Frame(image=image, index=index, timestamp=0.0, source=path)

    def close(self) -> None:
        pass
