"""Bad inputs give one line on stderr and exit code 2, never a traceback."""
import json
import os
import shutil

from conftest import assert_one_line_error, run_cli
from helpers import SAMPLE_VIDEO, STILLS, read_log


def test_missing_file(tmp_path):
    assert_one_line_error(run_cli("edge-app", "replay", tmp_path / "nope.mp4"), "not found")


def test_truncated_video(tmp_path):
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(open(SAMPLE_VIDEO, "rb").read()[:3000])
    assert_one_line_error(run_cli("edge-app", "replay", cut), "video")


def test_unreadable_video(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(os.urandom(20000))
    assert_one_line_error(run_cli("edge-app", "replay", junk), "video")


def test_non_image_file(tmp_path):
    fake = tmp_path / "photo.jpg"
    fake.write_text("not a jpeg")
    assert_one_line_error(run_cli("edge-app", "replay", fake), "cannot decode")


def test_not_a_video_or_image(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert_one_line_error(run_cli("edge-app", "replay", notes), "not a video or image")


def test_corrupt_model(tmp_path, model_copy):
    model_copy.write_bytes(os.urandom(4096))
    meta = json.loads(model_copy.with_suffix(".json").read_text())
    import hashlib

    meta["sha256"] = hashlib.sha256(model_copy.read_bytes()).hexdigest()
    model_copy.with_suffix(".json").write_text(json.dumps(meta))
    assert_one_line_error(run_cli("edge-app", "replay", STILLS, "--model", model_copy), "cannot be loaded")


def test_model_of_another_contract_version(model_copy):
    meta = json.loads(model_copy.with_suffix(".json").read_text())
    meta["contract_version"] = "mnist-com-v0"
    model_copy.with_suffix(".json").write_text(json.dumps(meta))
    assert_one_line_error(run_cli("edge-app", "replay", STILLS, "--model", model_copy), "preprocessing contract")


def test_bad_model_leaves_no_output(tmp_path, model_copy):
    model_copy.with_suffix(".json").unlink()
    result = run_cli("edge-app", "replay", STILLS, "--model", model_copy, "--jsonl", tmp_path / "log.jsonl")
    assert_one_line_error(result, "sidecar not found")
    assert not (tmp_path / "log.jsonl").exists()


def test_folder_with_mixed_files_skips_non_images(tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(STILLS, folder)
    (folder / "readme.txt").write_text("not an image")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(100))
    result = run_cli("edge-app", "replay", folder, "--jsonl", tmp_path / "log.jsonl")
    assert result.returncode == 0, result.stderr
    assert "skipping" in result.stderr and "readme.txt" in result.stderr and "broken.png" in result.stderr
    assert "2 files skipped" in result.stdout
    assert len(read_log(tmp_path / "log.jsonl")) == len(os.listdir(STILLS))
