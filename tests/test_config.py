"""The TOML config holds the CLI's options; bad keys are refused with the key named."""
import pytest

from edge_app.config import ConfigError, load_settings

from conftest import assert_one_line_error, run_cli
from helpers import STILLS, read_log


def write(tmp_path, text):
    path = tmp_path / "app.toml"
    path.write_text(text)
    return path


def test_file_then_command_line(tmp_path):
    path = write(tmp_path, 'min_confidence = 0.8\n[locate]\nthreshold = "otsu"\nmax_candidates = 10\n')
    settings = load_settings(str(path), {"locate.max_candidates": 20})
    assert settings.min_confidence == 0.8
    assert settings.locate.threshold == "otsu"
    assert settings.locate.max_candidates == 20


@pytest.mark.parametrize("text, key", [
    ("min_confidense = 0.5\n", "min_confidense"),
    ("min_confidence = 'high'\n", "min_confidence"),
    ("min_confidence = 1.5\n", "min_confidence"),
    ("[locate]\nthreshold = 'magic'\n", "locate.threshold"),
    ("[locate]\nroi = [1, 2, 3]\n", "locate.roi"),
    ("[locate]\nmax_candidates = true\n", "locate.max_candidates"),
    ("locate = 3\n", "locate"),
])
def test_bad_config_is_refused_naming_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_settings(str(write(tmp_path, text)))


def test_cli_uses_the_config_and_refuses_bad_ones(tmp_path):
    good = write(tmp_path, "min_confidence = 0.999999\n")
    result = run_cli("edge-app", "replay", STILLS, "--config", good, "--jsonl", tmp_path / "log.jsonl")
    assert result.returncode == 0, result.stderr
    strict = sum(len(r["detections"]) for r in read_log(tmp_path / "log.jsonl"))
    result = run_cli("edge-app", "replay", STILLS, "--jsonl", tmp_path / "default.jsonl")
    assert strict < sum(len(r["detections"]) for r in read_log(tmp_path / "default.jsonl"))
    bad = tmp_path / "bad.toml"
    bad.write_text("[locate]\nmin_height = -3\n")
    assert_one_line_error(run_cli("edge-app", "replay", STILLS, "--config", bad), "locate.min_height")
