"""Load MNIST from a Keras-layout .npz, a folder of IDX files, or the Keras download."""
from __future__ import annotations

import gzip
import os
import zipfile
from dataclasses import dataclass

import numpy as np

from edge_app.errors import UserError

# Names a default data path on machines without internet (here: ../shared/datasets/mnist.npz).
DATA_ENV = "PI_DIGITS_MNIST"
IDX_NAMES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}


class DataError(UserError):
    pass


@dataclass(frozen=True)
class Mnist:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str


def load_mnist(path: str | None = None) -> Mnist:
    path = path or os.environ.get(DATA_ENV) or None
    if path is None:
        return _from_keras_download()
    if not os.path.exists(path):
        raise DataError(f"MNIST data not found: {path}")
    arrays = _read_idx_folder(path) if os.path.isdir(path) else _read_npz(path)
    return _validated(arrays, path)


def _from_keras_download() -> Mnist:
    import keras  # only the host trainer reaches this

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as exc:  # any download or cache failure ends here with one line
        raise DataError(f"cannot download MNIST ({exc.__class__.__name__}); pass --data PATH or set {DATA_ENV}") from None
    return _validated(dict(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test), "keras download")


def _read_npz(path: str) -> dict:
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in IDX_NAMES if k not in npz.files]
            if missing:
                raise DataError(f"{path} lacks {', '.join(missing)} (expected Keras layout x_train, y_train, x_test, y_test)")
            return {k: npz[k] for k in IDX_NAMES}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise DataError(f"{path} is not a readable .npz ({exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else 'truncated'})") from None


def _find_idx(folder: str, name: str) -> str:
    for candidate in (name, name + ".gz", name.replace("-idx", ".idx"), name.replace("-idx", ".idx") + ".gz"):
        full = os.path.join(folder, candidate)
        if os.path.isfile(full):
            return full
    raise DataError(f"{folder} has no {name} (raw or .gz)")


def _read_idx_folder(folder: str) -> dict:
    return {key: _read_idx(_find_idx(folder, name)) for key, name in IDX_NAMES.items()}


def _read_idx(path: str) -> np.ndarray:
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as exc:
        raise DataError(f"{path} cannot be read: {exc}") from None
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise DataError(f"{path} is not an unsigned-byte IDX file")
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError(f"{path} is truncated (header)")
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape))
    if len(data) - header != expected:
        raise DataError(f"{path} is truncated or padded: {len(data) - header} bytes of data for shape {shape}")
    return np.frombuffer(data, np.uint8, offset=header).reshape(shape)


def _validated(a: dict, source: str) -> Mnist:
    for split in ("train", "test"):
        x, y = np.asarray(a[f"x_{split}"]), np.asarray(a[f"y_{split}"])
        if x.ndim != 3 or x.shape[1:] != (28, 28):
            raise DataError(f"{source}: x_{split} has shape {x.shape}, expected (N, 28, 28)")
        if y.ndim != 1 or len(y) != len(x):
            raise DataError(f"{source}: y_{split} has shape {y.shape}, expected ({len(x)},)")
        if len(x) == 0:
            raise DataError(f"{source}: the {split} split is empty")
        if y.min() < 0 or y.max() > 9:
            raise DataError(f"{source}: y_{split} holds labels outside 0-9")
    return Mnist(
        x_train=np.asarray(a["x_train"], np.uint8), y_train=np.asarray(a["y_train"], np.int64),
        x_test=np.asarray(a["x_test"], np.uint8), y_test=np.asarray(a["y_test"], np.int64), source=source,
    )
