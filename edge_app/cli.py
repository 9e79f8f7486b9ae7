"""`edge-app`: replay recordings or run live, with the same pipeline."""
from __future__ import annotations

import signal
import sys

import click

from .cli_errors import OneLineErrors


def _parse_roi(ctx, param, value):
    if value is None:
        return None
    try:
        parts = tuple(int(v) for v in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4 or parts[2] <= 0 or parts[3] <= 0:
        raise click.BadParameter("use x,y,w,h in frame pixels, e.g. 0,100,640,200")
    return list(parts)


def pipeline_options(f):
    options = [
        click.option("--model", default=None, help="The .tflite model (its .json sidecar beside it). Default: the bundled model."),
        click.option("--config", "config_path", default=None, help="A TOML file holding these same options."),
        click.option("--threshold", type=click.Choice(["adaptive", "otsu"]), default=None, help="How ink is told from paper."),
        click.option("--light-ink", is_flag=True, default=None, help="Light digits on a dark background."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, help="Below this a crop is rejected, not a digit."),
        click.option("--roi", callback=_parse_roi, default=None, help="Only look inside x,y,w,h."),
        click.option("--drop-border/--keep-border", default=None, help="Ignore blobs touching the frame's edge (default: drop)."),
        click.option("--max-candidates", type=click.IntRange(1, 1024), default=None, help="Cap on candidates per frame."),
        click.option("--show-inputs", is_flag=True, default=None, help="Draw each digit's normalised 28x28 input."),
        click.option("--show-probabilities", is_flag=True, default=None, help="Draw each digit's ten probabilities."),
        click.option("--show-features", is_flag=True, default=None, help="Draw the conv1 feature maps of the surest digit."),
        click.option("--jsonl", default=None, help="Write the JSON-lines log here."),
        click.option("--quiet", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _settings(model, config_path, threshold, light_ink, min_confidence, roi, drop_border, max_candidates, show_inputs, show_probabilities, show_features):
    from .config import load_settings

    return load_settings(config_path, {
        "model": model, "min_confidence": min_confidence, "show_inputs": show_inputs, "show_probabilities": show_probabilities,
        "show_features": show_features,
        "locate.threshold": threshold, "locate.ink": "light" if light_ink else None, "locate.roi": roi,
        "locate.drop_border": drop_border, "locate.max_candidates": max_candidates,
    })


def _build_pipeline(settings):
    from .classify import Classifier
    from .heap import keep_frame_memory
    from .pipeline import Pipeline

    keep_frame_memory()
    classifier = Classifier.from_path(settings.model, settings.threads, settings.runtime)
    return Pipeline(classifier, settings.locate, settings.min_confidence)


class _StopFlag:
    """SIGINT/SIGTERM end the loop after the current frame, so files are closed cleanly.
    Closing the source too wakes a loop that waits on a camera gone silent."""

    def __init__(self, source):
        self.stopped = False
        self._source = source
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)

    def _stop(self, signum, frame):
        if not self.stopped:
            self.stopped = True
            self._source.close()

    def __call__(self):
        return self.stopped


def _drive(source, pipeline, settings, sinks, show, quiet, label):
    from .annotate import annotate
    from .pipeline import run
    from .sinks.window import WindowSink, gui_available

    window = None
    if show:
        if gui_available():
            window = WindowSink()
            sinks.append(window)
        else:
            click.echo("note: no display (or OpenCV without GUI): not showing a window", err=True)
    stop = _StopFlag(source)

    features = None
    if settings.show_features:
        from .lessons.explain import FeatureMaps, overlay_features

        features = FeatureMaps(pipeline.classifier.info)

    def draw(result, fps):
        picture = annotate(result, fps, settings.show_inputs, settings.show_probabilities)
        return overlay_features(picture, result, features) if features else picture

    bar = None
    if not quiet and source.total and source.total > 1:
        bar = click.progressbar(length=source.total, label=label, file=sys.stderr)
        bar.__enter__()
    try:
        stats = run(
            source, pipeline, sinks, annotate=draw,
            on_frame=(lambda r: bar.update(1)) if bar else None,
            should_stop=lambda: stop() or (window is not None and window.quit_requested),
        )
    finally:
        if bar:
            bar.__exit__(None, None, None)
        for sink in sinks:
            sink.close()
        source.close()
    for sink, error in stats.failed_sinks:
        click.echo(f"error: stopped writing {getattr(sink, 'path', sink)}: {error.strerror or error}; what was written stays readable", err=True)
    return stats


def _summary(stats, source, outputs):
    extra = ""
    skipped = getattr(source, "skipped", []) + getattr(source, "unreadable", [])
    if skipped:
        extra = f", {len(skipped)} files skipped"
    click.echo(f"{stats.frames} frames: {stats.digits} digits read, {stats.readings} readings, {stats.fps:.1f} fps{extra}")
    for path in outputs:
        click.echo(f"wrote {path}")


@click.group(cls=OneLineErrors)
def main():
    """Read handwritten digits from camera frames with an int8 TFLite CNN."""
    if hasattr(signal, "SIGXFSZ"):
        # Past a file-size limit, a write should fail with an error the app handles,
        # not kill the process mid-line.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


@main.command()
@click.argument("input_path", metavar="INPUT")
@click.option("--out", default=None, help="Annotated output: a video file (.mp4/.avi) for a video, a folder for images.")
@click.option("--show/--no-show", default=False, help="Show a window while replaying.")
@pipeline_options
def replay(input_path, out, show, jsonl, quiet, **options):
    """Replay a video file, an image, or a folder/glob of images."""
    from .sinks.jsonl import JsonlSink
    from .sinks.video import ImageDirSink, VideoSink
    from .sources import open_replay

    settings = _settings(**options)
    pipeline = _build_pipeline(settings)  # a bad model is refused before any input or output is touched
    source = open_replay(input_path)
    for path in getattr(source, "skipped", []):
        click.echo(f"warning: skipping {path}: not an image", err=True)
    sinks, outputs = [], []
    if jsonl:
        sinks.append(JsonlSink(jsonl))
        outputs.append(jsonl)
    if out:
        is_video_out = out.lower().endswith((".mp4", ".avi", ".mkv"))
        sinks.append(VideoSink(out, source.fps) if is_video_out else ImageDirSink(out))
        outputs.append(out)
    stats = _drive(source, pipeline, settings, sinks, show, quiet, "replay")
    for path in getattr(source, "unreadable", []):
        click.echo(f"warning: skipped {path}: cannot decode image", err=True)
    _summary(stats, source, outputs)
    if stats.failed_sinks:
        sys.exit(1)


@main.command("run")
@click.option("--source", "source_spec", default="picamera2", show_default=True, help="usb:N, picamera2, or a video file played as a camera.")
@click.option("--headless", is_flag=True, help="No window, even where a display exists.")
@click.option("--out", default=None, help="Annotated video file to record.")
@click.option("--record", default=None, help="Also record the raw frames losslessly (.avi) for an exact replay.")
@click.option("--serve", default=None, help="Serve a browser preview on HOST:PORT (e.g. 127.0.0.1:8080).")
@click.option("--token", default=None, envvar="PI_DIGITS_TOKEN", help="Required to serve beyond loopback [env PI_DIGITS_TOKEN].")
@click.option("--loop", is_flag=True, help="With a video file as the source: play it over and over.")
@click.option("--width", type=click.IntRange(16), default=None)
@click.option("--height", type=click.IntRange(16), default=None)
@pipeline_options
def run_live(source_spec, headless, out, record, serve, token, loop, width, height, jsonl, quiet, **options):
    """Read digits live from a camera with the same pipeline as replay."""
    from .sinks.jsonl import JsonlSink
    from .sinks.video import RawRecorder, VideoSink
    from .sources import open_live

    from .sources.resilient import ResilientSource

    settings = _settings(**options)
    pipeline = _build_pipeline(settings)
    if source_spec.startswith("usb:") or source_spec == "picamera2":
        source = ResilientSource(lambda: open_live(source_spec, width, height, preview=not headless))
    elif loop:
        from .sources.looping import LoopingSource

        source = LoopingSource(lambda: open_live(source_spec, width, height))
    else:
        source = open_live(source_spec, width, height)
    sinks, outputs = [], []
    if record:
        sinks.append(RawRecorder(record, source.fps))
        outputs.append(record)
    if jsonl:
        sinks.append(JsonlSink(jsonl))
        outputs.append(jsonl)
    if out:
        sinks.append(VideoSink(out, source.fps))
        outputs.append(out)
    if serve:
        from .serve import PreviewServer, ServeSink, parse_address

        host, port = parse_address(serve)
        server = PreviewServer(host, port, token, pipeline.classifier.info.sha256)
        click.echo(f"preview on http://{serve}/", err=True)
        preview = ServeSink(server, source)
        sinks.append(preview)
        if hasattr(source, "on_fault"):
            source.on_fault = preview.show_fault
    stats = _drive(source, pipeline, settings, sinks, show=not headless, quiet=True, label="run")
    _summary(stats, source, outputs)
    if stats.failed_sinks:
        sys.exit(1)


def _add_lessons():
    from .lessons.commands import explain_command, filter_command

    main.add_command(filter_command)
    main.add_command(explain_command)


_add_lessons()

if __name__ == "__main__":
    main()
