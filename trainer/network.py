"""The lecture's CNN. Dropout is the only addition, and it vanishes at inference."""
from __future__ import annotations


def build_model(dropout: float = 0.25):
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1), name="digit"),
            layers.Conv2D(32, 3, padding="same", activation="relu", name="conv1"),
            layers.MaxPooling2D(2, name="pool1"),
            layers.Conv2D(64, 3, padding="same", activation="relu", name="conv2"),
            layers.MaxPooling2D(2, name="pool2"),
            layers.Flatten(name="flatten"),
            layers.Dropout(dropout, name="dropout1"),
            layers.Dense(100, activation="relu", name="dense1"),
            layers.Dropout(dropout, name="dropout2"),
            layers.Dense(10, name="logits"),
        ],
        name="lecture_cnn",
    )
