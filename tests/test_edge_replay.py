"""The edge app on the generated sample and on pages without digits, through the CLI."""
import os
import subprocess
import sys

import cv2
import numpy as np
import pytest

from edge_app.classify import Classifier
from edge_app.frames import Frame
from edge_app.pipeline import Pipeline
from edge_app.scoring import match

from conftest import BUNDLED_MODEL, ROOT, run_cli
from helpers import SAMPLE_VIDEO, STILLS, blank_page, noise_frame, printed_text_page, read_log, truth, without_timings


def totals(records, truths):
    counts = {"correct": 0, "found": 0, "spurious": 0, "truth": 0, "detected": 0}
    readings_right = 0
    for record, expected in zip(records, truths):
        for key, value in match(record["detections"], expected["digits"]).items():
            counts[key] += value
        readings_right += sorted(r["text"] for r in record["readings"]) == sorted(expected["numbers"])
    return counts, readings_right


@pytest.fixture(scope="module")
def video_replay(tmp_path_factory):
    out = tmp_path_factory.mktemp("video")
    result = run_cli("edge-app", "replay", SAMPLE_VIDEO, "--jsonl", out / "log.jsonl", "--out", out / "annotated.mp4")
    assert result.returncode == 0, result.stderr
    return out, result


def test_reads_the_sample_video(video_replay):
    out, result = video_replay
    records = read_log(out / "log.jsonl")
    frames = truth()["video"]["frames"]
    assert len(records) == len(frames) == 40
    counts, readings_right = totals(records, frames)
    assert counts["correct"] >= 0.97 * counts["truth"], counts
    assert counts["spurious"] <= 0.02 * counts["detected"], counts
    assert readings_right >= 0.8 * len(frames), readings_right
    assert "40 frames:" in result.stdout and "fps" in result.stdout


def test_annotated_video_matches_the_log(video_replay):
    out, _ = video_replay
    capture = cv2.VideoCapture(str(out / "annotated.mp4"))
    count = 0
    while capture.read()[0]:
        count += 1
    assert count == len(read_log(out / "log.jsonl"))


def test_reads_the_sample_stills(tmp_path):
    result = run_cli("edge-app", "replay", STILLS, "--jsonl", tmp_path / "log.jsonl", "--out", tmp_path / "annotated")
    assert result.returncode == 0, result.stderr
    records = read_log(tmp_path / "log.jsonl")
    stills = {s["file"].split("/")[-1]: s for s in truth()["stills"]}
    assert sorted(os.path.basename(r["source"]) for r in records) == sorted(stills)
    expected = [stills[os.path.basename(r["source"])] for r in records]
    counts, readings_right = totals(records, expected)
    assert counts["correct"] >= 0.97 * counts["truth"], counts
    assert counts["spurious"] <= 0.02 * counts["detected"], counts
    assert readings_right >= 0.8 * len(records)
    assert sorted(os.listdir(tmp_path / "annotated")) == sorted(n.replace(".jpg", ".jpg") for n in stills)


def test_two_replays_are_identical_apart_from_timings(tmp_path):
    for name in ("a", "b"):
        result = run_cli("edge-app", "replay", STILLS, "--jsonl", tmp_path / f"{name}.jsonl", "--quiet")
        assert result.returncode == 0, result.stderr
    assert without_timings(read_log(tmp_path / "a.jsonl")) == without_timings(read_log(tmp_path / "b.jsonl"))


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline(Classifier.from_path(BUNDLED_MODEL))


@pytest.mark.parametrize("make_page", [blank_page, printed_text_page, noise_frame])
def test_pages_without_digits_read_nothing(pipeline, make_page):
    result = pipeline.process(Frame(make_page(), 0, 0.0, "test"))
    assert result.accepted.sum() == 0, [(b.tolist(), d, c) for b, d, c in zip(result.boxes[result.accepted], result.digits[result.accepted], result.confidences[result.accepted])]
    assert result.readings == []


def test_ink_enclosing_many_holes_is_texture_not_a_digit(pipeline):
    """A net of cracks (leather, fabric) can take a digit's shape: the model reads this
    one as a sure 2, but a digit's ink encloses a few holes at most, and an 8 beside it
    is still read."""
    from conftest import MNIST_SMALL

    with np.load(MNIST_SMALL) as d:
        digits, labels = d["x_test"], d["y_test"]
    page = np.full((240, 360, 3), 225, np.uint8)
    two = cv2.resize(digits[np.flatnonzero(labels == 2)[0]], (120, 120), interpolation=cv2.INTER_LINEAR) > 100
    net = np.zeros((120, 120), np.uint8)
    net[::8, :] = net[:, ::8] = 1
    rim = two & ~cv2.erode(two.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    page[60:180, 20:140][two & (cv2.dilate(net, np.ones((2, 2), np.uint8)) > 0) | rim] = 60
    eight = cv2.resize(digits[np.flatnonzero(labels == 8)[0]], (100, 100), interpolation=cv2.INTER_LINEAR)
    page[70:170, 220:320] = np.minimum(page[70:170, 220:320], (225 - eight.astype(np.float32) * 0.65).astype(np.uint8)[..., None])
    result = pipeline.process(Frame(page, 0, 0.0, "test"))
    read = [(int(b[0]), int(d)) for b, d in zip(result.boxes[result.accepted], result.digits[result.accepted])]
    assert [d for x, d in read] == [8] and read[0][0] > 200, read
    net_two = result.boxes[:, 0] < 160
    assert net_two.any() and (result.digits[net_two] == 2).all()  # found and read as 2, not accepted


def test_light_ink_on_dark_board_with_the_switch(tmp_path):
    still = cv2.imread(os.path.join(STILLS, "still_0.jpg"))
    cv2.imwrite(str(tmp_path / "board.png"), 255 - still)
    normal = run_cli("edge-app", "replay", os.path.join(STILLS, "still_0.jpg"), "--jsonl", tmp_path / "normal.jsonl")
    inverted = run_cli("edge-app", "replay", tmp_path / "board.png", "--light-ink", "--jsonl", tmp_path / "board.jsonl")
    assert normal.returncode == inverted.returncode == 0
    read = lambda p: [r["text"] for r in read_log(p)[0]["readings"]]
    assert read(tmp_path / "board.jsonl") == read(tmp_path / "normal.jsonl") == [n for n in truth()["stills"][0]["numbers"]]


def test_edge_app_never_imports_tensorflow():
    code = (
        "import sys; from edge_app.cli import main; from edge_app.classify import Classifier; "
        "from edge_app.pipeline import Pipeline; from edge_app.frames import Frame; import cv2; "
        f"p = Pipeline(Classifier.from_path({BUNDLED_MODEL!r})); "
        f"r = p.process(Frame(cv2.imread({os.path.join(STILLS, 'still_0.jpg')!r}), 0, 0.0, 's')); "
        "assert r.accepted.sum() > 0; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'tf_keras')]; "
        "assert not bad, bad; print('clean')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "clean" in result.stdout, result.stderr


def test_a_clean_digital_image_is_read(tmp_path):
    """A drawing made on a computer has paper without any noise, and strokes wider than
    the paper estimate's window in places: the noise floor must come from that perfect
    paper, and the thick strokes must not count as the desk around a sheet."""
    for thickness in (3, 12):
        image = np.full((300, 500, 3), 255, np.uint8)
        cv2.putText(image, "4 7 2", (60, 200), cv2.FONT_HERSHEY_SIMPLEX, 4, (0, 0, 0), thickness)
        path = tmp_path / f"drawn_{thickness}.png"
        cv2.imwrite(str(path), image)
        result = run_cli("edge-app", "replay", path, "--jsonl", tmp_path / "log.jsonl", "--quiet")
        assert result.returncode == 0, result.stderr
        (record,) = read_log(tmp_path / "log.jsonl")
        assert [r["text"] for r in record["readings"]] == ["472"], record["readings"]


def _with_display_rotation(path, degrees):
    """Give an MP4's video track the display matrix a phone writes for a video shot
    upright on a sideways sensor (ISO/IEC 14496-12 tkhd, version 0: the matrix sits
    40 bytes into the box's payload)."""
    import struct

    data = bytearray(path.read_bytes())
    start = data.find(b"tkhd") - 4
    assert start >= 0 and data[start + 8] == 0, "expected a version-0 track header"
    one = 1 << 16
    cos, sin = {90: (0, 1), 180: (-1, 0), 270: (0, -1)}[degrees]
    matrix = (cos * one, sin * one, 0, -sin * one, cos * one, 0, 0, 0, 1 << 30)
    data[start + 48:start + 84] = struct.pack(">9i", *matrix)
    path.write_bytes(bytes(data))


def test_a_phone_video_shot_upright_is_read_upright(tmp_path):
    """The frames are stored turned a quarter; the display matrix turns them back."""
    still = cv2.imread(os.path.join(STILLS, "still_0.jpg"))
    stored = cv2.rotate(still, cv2.ROTATE_90_COUNTERCLOCKWISE)
    video = tmp_path / "phone.mp4"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), 10, stored.shape[1::-1])
    for _ in range(3):
        writer.write(stored)
    writer.release()
    _with_display_rotation(video, 90)
    result = run_cli("edge-app", "replay", video, "--jsonl", tmp_path / "log.jsonl")
    assert result.returncode == 0, result.stderr
    expected = sorted(truth()["stills"][0]["numbers"])
    assert [sorted(r["text"] for r in record["readings"]) for record in read_log(tmp_path / "log.jsonl")] == [expected] * 3
