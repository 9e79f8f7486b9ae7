"""Live runs: the same readings as a replay of what they recorded; cameras that fail are reopened."""
import numpy as np

from edge_app.errors import SourceError
from edge_app.frames import Frame
from edge_app.sources.resilient import ResilientSource

from conftest import run_cli
from helpers import SAMPLE_VIDEO, read_log


def test_replaying_a_live_recording_gives_the_live_readings(tmp_path):
    live = run_cli("edge-app", "run", "--source", SAMPLE_VIDEO, "--headless", "--record", tmp_path / "raw.avi",
                   "--jsonl", tmp_path / "live.jsonl")
    assert live.returncode == 0, live.stderr
    replay = run_cli("edge-app", "replay", tmp_path / "raw.avi", "--jsonl", tmp_path / "replay.jsonl", "--quiet")
    assert replay.returncode == 0, replay.stderr
    live_log, replay_log = read_log(tmp_path / "live.jsonl"), read_log(tmp_path / "replay.jsonl")
    assert len(live_log) == len(replay_log) == 40
    strip = lambda records: [{k: r[k] for k in ("frame", "detections", "rejected", "readings")} for r in records]
    assert strip(live_log) == strip(replay_log)
    assert sum(len(r["readings"]) for r in live_log) > 0


class FlakyCamera:
    """Yields frames, raising every ``fail_every`` frames, like a camera that drops out."""

    opened = 0

    def __init__(self, fail_every=3, size=(48, 64)):
        FlakyCamera.opened += 1
        self.uri = "flaky:0"
        self.fps = 10.0
        self.total = None
        self.fail_every = fail_every
        self.size = size
        self.closed = False

    def frames(self):
        for i in range(self.fail_every):
            yield Frame(np.full(self.size, 200, np.uint8), i, 0.0, self.uri)
        raise SourceError("camera stopped delivering frames")

    def close(self):
        self.closed = True


def test_resilient_source_reopens_with_backoff():
    FlakyCamera.opened = 0
    sleeps = []
    source = ResilientSource(FlakyCamera, first_backoff=0.5, max_backoff=2.0, sleep=sleeps.append)
    frames = []
    for frame in source.frames():
        frames.append(frame)
        if len(frames) == 12:
            break
    source.close()
    assert [f.index for f in frames] == list(range(12))
    assert source.faults == 3 and source.reopens == 3 and FlakyCamera.opened == 4
    assert sleeps == [0.5, 0.5, 0.5]  # each reopening delivered frames, so the backoff starts over
    assert "stopped delivering" in source.last_fault


def test_resilient_source_backs_off_while_the_camera_is_gone():
    attempts = []

    def opener():
        attempts.append(1)
        if len(attempts) > 1:
            raise SourceError("no camera")
        return FlakyCamera(fail_every=1)

    sleeps = []
    source = ResilientSource(opener, first_backoff=0.5, max_backoff=2.0, give_up_after=4, sleep=sleeps.append)
    try:
        list(source.frames())
        raise AssertionError("expected the source to give up")
    except SourceError as exc:
        assert "no camera" in str(exc)
    assert sleeps == [0.5, 1.0, 2.0, 2.0]  # the fifth fault in a row gives up
