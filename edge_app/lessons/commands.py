"""`edge-app filter` and `edge-app explain`: the lecture's lessons as commands."""
from __future__ import annotations

import os

import click
import cv2

from ..errors import UserError
from ..sinks.video import write_image


def _open(input_path, source_spec):
    from ..sources import open_live, open_replay

    if bool(input_path) == bool(source_spec):
        raise UserError("give either INPUT (an image, a folder or a video) or --source (usb:N, picamera2)")
    return open_replay(input_path) if input_path else open_live(source_spec)


@click.command("filter")
@click.argument("input_path", required=False, metavar="[INPUT]")
@click.option("--source", "source_spec", default=None, help="A live camera instead of INPUT: usb:N or picamera2.")
@click.option("--kernel", "kernel_name", default="edge", show_default=True,
              help="edge (the lecture's vertical edge filter), gaussian5, gaussian15, sharpen, sobel_x, sobel_y.")
@click.option("--kernel-file", default=None, help="A kernel from a text file (rows of numbers; odd sizes).")
@click.option("--out", default=None, help="Write the panel: an image (.png/.jpg) for one frame, a video (.mp4) or a folder for many.")
@click.option("--show/--no-show", default=False, help="Show a window (needs a display and OpenCV with GUI).")
@click.option("--serve", default=None, help="Serve the panels to a browser on HOST:PORT.")
@click.option("--token", default=None, envvar="PI_DIGITS_TOKEN", help="Required to serve beyond loopback.")
def filter_command(input_path, source_spec, kernel_name, kernel_file, out, show, serve, token):
    """Convolve frames with a kernel and show input, kernel and output side by side."""
    from .filter_view import filter_panel
    from .kernels import kernel_named, load_kernel

    kernel = load_kernel(kernel_file) if kernel_file else kernel_named(kernel_name)
    name = os.path.basename(kernel_file) if kernel_file else kernel_name
    source = _open(input_path, source_spec)
    server = writer = None
    if serve:
        from ..serve import PreviewServer, parse_address

        server = PreviewServer(*parse_address(serve), token, model_sha256="-")
        click.echo(f"preview on http://{serve}/", err=True)
    frames = 0
    try:
        for frame in source.frames():
            panel = filter_panel(frame.image, kernel, name)
            frames += 1
            if out and out.lower().endswith((".mp4", ".avi")):
                if writer is None:
                    writer = cv2.VideoWriter(out, cv2.VideoWriter_fourcc(*"mp4v"), source.fps or 10.0, panel.shape[1::-1])
                writer.write(panel)
            elif out and (source.total or 0) > 1:
                write_image(os.path.join(out, os.path.splitext(os.path.basename(frame.source))[0] + "_filtered.png"), panel)
            elif out:
                write_image(out, panel)
            if server:
                server.publish(panel, {"frames": frames})
            if show:
                cv2.imshow("pi-digits filter", panel)
                if cv2.waitKey(1) & 0xFF in (ord("q"), 27):
                    break
    finally:
        source.close()
        if writer is not None:
            writer.release()
        if server:
            server.close()
    click.echo(f"{frames} frames filtered with {name}" + (f"; wrote {out}" if out else ""))


@click.command("explain")
@click.argument("input_path", metavar="IMAGE")
@click.option("--model", default=None, help="Default: the bundled model.")
@click.option("--out", "out_dir", default="explain", show_default=True, help="Folder for one PNG per digit.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None)
def explain_command(input_path, model, out_dir, min_confidence):
    """For each digit found: its 28x28 input, a stem plot of the ten probabilities, and
    the feature maps of both convolution layers of the int8 model."""
    from ..classify import Classifier
    from ..config import load_settings
    from ..pipeline import Pipeline
    from ..sources import open_replay
    from .explain import FeatureMaps, explain_sheet

    settings = load_settings(None, {"model": model, "min_confidence": min_confidence})
    classifier = Classifier.from_path(settings.model)
    pipeline = Pipeline(classifier, settings.locate, settings.min_confidence)
    features = FeatureMaps(classifier.info)
    source = open_replay(input_path)
    written = 0
    try:
        for frame in source.frames():
            result = pipeline.process(frame)
            stem = os.path.splitext(os.path.basename(frame.source))[0] or f"frame{frame.index}"
            in_reading_order = [i for reading in result.readings for i in reading.members]
            for rank, i in enumerate(in_reading_order):
                sheet = explain_sheet(result.inputs[i], features.run(result.inputs[i]))
                write_image(os.path.join(out_dir, f"{stem}_digit{rank:02d}_{int(result.digits[i])}.png"), sheet)
                written += 1
    finally:
        source.close()
    click.echo(f"explained {written} digits in {out_dir}/")
