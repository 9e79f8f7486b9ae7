"""Accuracy, per-class accuracy and confusion matrix of a .tflite or Keras model on MNIST test."""
from __future__ import annotations

import numpy as np

from .data import Mnist
from .plots import confusion_matrix, plot_confusion
from .train import as_float


def predict_digits(model_path: str, data: Mnist) -> np.ndarray:
    if model_path.endswith(".tflite"):
        from edge_app.classify import Classifier

        return Classifier.from_path(model_path).predict(data.x_test).digits
    import keras

    model = keras.models.load_model(model_path)
    return model.predict(as_float(data.x_test), batch_size=512, verbose=0).argmax(1)


def evaluate(model_path: str, data: Mnist, png_path: str | None) -> dict:
    predicted = predict_digits(model_path, data)
    truth = data.y_test
    matrix = confusion_matrix(truth, predicted)
    per_class = (np.diag(matrix) / np.maximum(matrix.sum(1), 1)).tolist()
    accuracy = float((predicted == truth).mean())
    if png_path:
        plot_confusion(truth, predicted, png_path, f"{model_path.rsplit('/', 1)[-1]}: test accuracy {accuracy:.4f}")
    return {"accuracy": accuracy, "per_class": per_class, "confusion": matrix.tolist(), "images": int(len(truth))}
