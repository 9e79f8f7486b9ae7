"""`trainer`: train, export and evaluate the lecture's CNN."""
from __future__ import annotations

import json
import os
from dataclasses import asdict

import click

from edge_app.cli_errors import OneLineErrors
from edge_app.errors import UserError

from .data import DATA_ENV, load_mnist

DEFAULT_OUT = os.path.join("build", "train")
DEFAULT_MODEL = os.path.join("models", "digits_int8.tflite")


def training_options(f):
    options = [
        click.option("--data", "data_path", default=None, help=f"Keras-layout .npz or folder of MNIST IDX files (default: ${DATA_ENV}, else the Keras download)."),
        click.option("--epochs", default=15, show_default=True, type=click.IntRange(1)),
        click.option("--batch-size", default=128, show_default=True, type=click.IntRange(1)),
        click.option("--learning-rate", default=1e-3, show_default=True, type=click.FloatRange(0, min_open=True)),
        click.option("--seed", default=1234, show_default=True, type=int),
        click.option("--augment/--no-augment", default=True, show_default=True, help="Camera-like augmentation."),
        click.option("--limit", default=None, type=click.IntRange(1), help="Use only the first N training images (smoke tests)."),
        click.option("--out-dir", default=DEFAULT_OUT, show_default=True, help="Where the Keras model, history and plots go."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _train(data, epochs, batch_size, learning_rate, seed, augment, limit, out_dir):
    from .train import TrainConfig, train

    cfg = TrainConfig(epochs=epochs, batch_size=batch_size, learning_rate=learning_rate, seed=seed, augment=augment, limit=limit, data_source=data.source)
    model, accuracy = train(data, cfg, out_dir)
    click.echo(f"float test accuracy {accuracy:.4f} on {len(data.x_test)} images; saved {out_dir}/model.keras")
    return model, accuracy, asdict(cfg)


@click.group(cls=OneLineErrors)
def main():
    """Train the lecture's CNN on MNIST and export it as a proven int8 TFLite model."""


@main.command()
@training_options
def train(data_path, out_dir, **options):
    """Train the network and save model, history and plots."""
    data = load_mnist(data_path)
    _train(data, out_dir=out_dir, **options)


@main.command()
@training_options
@click.option("--keras-model", default=None, help="A trained .keras model to convert; without it, train one first.")
@click.option("--out", "out_path", default=DEFAULT_MODEL, show_default=True, help="The .tflite to write; its .json sidecar goes beside it.")
@click.option("--floor", default=0.994, show_default=True, type=click.FloatRange(0, 1), help="Least int8 test accuracy to write the model.")
@click.option("--margin", default=0.001, show_default=True, type=click.FloatRange(0, 1), help="Most int8 accuracy may fall below float.")
def export(data_path, out_dir, keras_model, out_path, floor, margin, **options):
    """Convert to full-integer int8 TFLite, prove its accuracy, write it atomically."""
    from .export import Gate, export as do_export
    from .plots import plot_confusion
    from .train import as_float

    data = load_mnist(data_path)
    if keras_model:
        import keras

        if not os.path.isfile(keras_model):
            raise UserError(f"Keras model not found: {keras_model}")
        model = keras.models.load_model(keras_model)
        accuracy = float((model.predict(as_float(data.x_test), batch_size=512, verbose=0).argmax(1) == data.y_test).mean())
        history = os.path.join(os.path.dirname(keras_model), "history.json")
        training = json.load(open(history))["config"] if os.path.isfile(history) else {"keras_model": keras_model}
    else:
        model, accuracy, training = _train(data, out_dir=out_dir, **options)
    meta = do_export(model, data, out_path, Gate(floor, margin), training, accuracy, seed=options["seed"])
    from .export import int8_accuracy

    _, predicted = int8_accuracy(out_path, meta, data)
    plot_confusion(data.y_test, predicted, os.path.splitext(out_path)[0] + "_confusion.png", f"int8 model, test accuracy {meta['int8_test_accuracy']:.4f}")
    click.echo(
        f"wrote {out_path}: int8 test accuracy {meta['int8_test_accuracy']:.4f}, float {accuracy:.4f} "
        f"on {len(data.x_test)} images; sha256 {meta['sha256'][:12]}"
    )


@main.command()
@click.argument("model_path")
@click.option("--data", "data_path", default=None, help="As for train.")
@click.option("--png", default=None, help="Write the confusion matrix here (default: beside the model).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(model_path, data_path, png, as_json):
    """Accuracy, per-class accuracy and confusion matrix on the MNIST test set."""
    from .evaluate import evaluate as run

    if not os.path.isfile(model_path):
        raise UserError(f"model not found: {model_path}")
    data = load_mnist(data_path)
    png = png or os.path.splitext(model_path)[0] + "_evaluation.png"
    result = run(model_path, data, png)
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"{model_path}: accuracy {result['accuracy']:.4f} on {result['images']} test images")
    click.echo("per class: " + "  ".join(f"{d}:{a:.4f}" for d, a in enumerate(result["per_class"])))
    click.echo("confusion (rows true, columns predicted):")
    for d, row in enumerate(result["confusion"]):
        click.echo(f"  {d}: " + " ".join(f"{c:5d}" for c in row))
    click.echo(f"confusion matrix plot: {png}")


@main.command()
@click.argument("model_path", default=os.path.join("models", "digits_float.keras"))
@click.option("--png", default=None, help="Where to write the grid (default: beside the model, *_conv1_kernels.png).")
def inspect(model_path, png):
    """Show the learned first-layer (conv1) kernels as an image grid."""
    from .inspect import conv1_kernels, plot_kernels

    if not os.path.isfile(model_path):
        raise UserError(f"model not found: {model_path}")
    kernels = conv1_kernels(model_path)
    png = png or os.path.splitext(model_path)[0] + "_conv1_kernels.png"
    plot_kernels(kernels, png, f"conv1 kernels of {os.path.basename(model_path)}")
    click.echo(f"{kernels.shape[0]} kernels of {kernels.shape[1]}x{kernels.shape[2]}; wrote {png}")
