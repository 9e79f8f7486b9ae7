"""Train the lecture's CNN: seeded, augmented per epoch, with history and plots saved."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

import numpy as np

from edge_app.fsutil import atomic_path, write_text_atomic

from .augment import AugmentConfig, augment_batch
from .data import Mnist
from .negatives import negatives
from .network import build_model


@dataclass
class TrainConfig:
    epochs: int = 15
    batch_size: int = 128
    learning_rate: float = 1e-3
    seed: int = 1234
    augment: bool = True
    negatives: float = 0.1  # non-digits per training digit, trained towards 'unsure'
    dropout: float = 0.25
    validation: int = 5000
    limit: int | None = None
    data_source: str = ""
    augmentation: dict = field(default_factory=lambda: asdict(AugmentConfig()))


def as_float(images: np.ndarray) -> np.ndarray:
    """The float model's input: pixel / 255, shape (N, 28, 28, 1)."""
    return (images.astype(np.float32) / 255.0)[..., None]


def targets(labels: np.ndarray, negatives: int) -> np.ndarray:
    """One-hot rows for the digits, then uniform rows for the non-digits."""
    onehot = np.eye(10, dtype=np.float32)[labels]
    return np.concatenate([onehot, np.full((negatives, 10), 0.1, np.float32)])


def seed_everything(seed: int) -> None:
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def train(data: Mnist, cfg: TrainConfig, out_dir: str):
    """Train and save model.keras, history.json and plots in out_dir; return the model."""
    import keras

    from .plots import plot_confusion, plot_history

    seed_everything(cfg.seed)
    x, y = data.x_train, data.y_train
    if cfg.limit:
        x, y = x[: cfg.limit], y[: cfg.limit]
    held_out = min(cfg.validation, len(x) // 5)
    order = np.random.default_rng(cfg.seed).permutation(len(x))
    val_idx, train_idx = order[:held_out], order[held_out:]
    x_train, y_train = x[train_idx], y[train_idx]
    validation = (as_float(x[val_idx]), y[val_idx]) if held_out else None

    model = build_model(cfg.dropout)
    steps = cfg.epochs * int(np.ceil(len(x_train) / cfg.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(cfg.learning_rate, decay_steps=max(steps, 1), alpha=0.02)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")],
    )
    if validation:
        validation = (validation[0], targets(validation[1], 0))
    augment_cfg = AugmentConfig(**cfg.augmentation)
    history: dict = {}
    for epoch in range(cfg.epochs):
        # A fresh augmented copy each epoch, seeded by (seed, epoch): reproducible and
        # independent of how Keras schedules its batches.
        images = augment_batch(x_train, (cfg.seed, epoch), augment_cfg) if cfg.augment else x_train
        extra = negatives(int(cfg.negatives * len(x_train)), x_train, (cfg.seed, epoch, 1)) if cfg.negatives else images[:0]
        result = model.fit(
            as_float(np.concatenate([images, extra])), targets(y_train, len(extra)),
            batch_size=cfg.batch_size, epochs=epoch + 1, initial_epoch=epoch,
            validation_data=validation, shuffle=True, verbose=1,
        )
        for key, values in result.history.items():
            history.setdefault(key, []).extend(float(v) for v in values)

    os.makedirs(out_dir, exist_ok=True)
    with atomic_path(os.path.join(out_dir, "model.keras")) as tmp:
        model.save(tmp)
    test_logits = model.predict(as_float(data.x_test), batch_size=512, verbose=0)
    test_accuracy = float((test_logits.argmax(1) == data.y_test).mean())
    record = {"config": asdict(cfg), "history": history, "test_accuracy": test_accuracy}
    write_text_atomic(os.path.join(out_dir, "history.json"), json.dumps(record, indent=2))
    plot_history(history, os.path.join(out_dir, "training_curves.png"))
    plot_confusion(data.y_test, test_logits.argmax(1), os.path.join(out_dir, "confusion_float.png"), f"float model, test accuracy {test_accuracy:.4f}")
    return model, test_accuracy
