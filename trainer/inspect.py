"""The first convolution layer's learned 3x3 kernels, from a Keras or an int8 TFLite model."""
from __future__ import annotations

import numpy as np

from edge_app.errors import UserError

from .plots import _pyplot, _save


def conv1_kernels(model_path: str) -> np.ndarray:
    """(32, 3, 3) float kernels. For the int8 model, dequantised with its per-channel scales."""
    if model_path.endswith(".tflite"):
        from edge_app.runtimes import open_interpreter

        interpreter, _ = open_interpreter(model_path)
        for detail in interpreter.get_tensor_details():
            if "conv1" in detail["name"] and tuple(detail["shape"]) == (32, 3, 3, 1) and detail["dtype"] == np.int8:
                q = detail["quantization_parameters"]
                weights = interpreter.get_tensor(detail["index"]).astype(np.float32)
                scales = np.asarray(q["scales"], np.float32).reshape(-1, 1, 1, 1)
                return ((weights - np.asarray(q["zero_points"]).reshape(-1, 1, 1, 1)) * scales)[..., 0]
        raise UserError(f"{model_path} has no conv1 weights of shape (32, 3, 3, 1)")
    import keras

    weights = keras.models.load_model(model_path).get_layer("conv1").get_weights()[0]  # (3, 3, 1, 32)
    return np.transpose(weights[:, :, 0, :], (2, 0, 1))


def plot_kernels(kernels: np.ndarray, path: str, title: str) -> None:
    plt = _pyplot()
    count = len(kernels)
    columns = 8
    rows = int(np.ceil(count / columns))
    limit = float(np.abs(kernels).max())
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.1, rows * 1.2))
    for i, ax in enumerate(np.ravel(axes)):
        ax.axis("off")
        if i < count:
            ax.imshow(kernels[i], cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set_title(str(i), fontsize=7)
    fig.suptitle(title + " (red positive, blue negative)", fontsize=9)
    _save(fig, path)
    plt.close(fig)
