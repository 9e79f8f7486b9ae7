"""Deployment scripts: shellcheck-clean, and their dry runs print every step."""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT

SCRIPTS = ["deploy/install.sh", "deploy/push.sh", "deploy/common.sh", "deploy/check-pi-requirements.sh", ".ci/run"]


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, cwd=ROOT, timeout=60)


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed (.ci/run installs it)")
def test_scripts_pass_shellcheck():
    result = run("shellcheck", "-x", *SCRIPTS)
    assert result.returncode == 0, result.stdout


def test_install_dry_run_prints_every_step():
    result = run("bash", "deploy/install.sh", "--dry-run")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in ("apt-get install -y --no-install-recommends python3-picamera2", "venv --system-site-packages",
                 "-r /opt/pi-digits/requirements-pi.txt", "/etc/systemd/system/pi-digits.service",
                 "systemctl enable pi-digits.service"):
        assert step in out, step
    assert "useradd" in out or "pidigits" in subprocess.run(["getent", "passwd"], capture_output=True, text=True).stdout


def test_push_dry_run_copies_model_installs_and_restarts():
    result = run("bash", "deploy/push.sh", "pi@raspberrypi.local", "--dry-run")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("+ rsync -az --delete") and lines[0].endswith("pi@raspberrypi.local:pi-digits/")
    assert "digits_int8.tflite" in lines[1] and "digits_int8.json" in lines[1]
    assert "sudo pi-digits/deploy/install.sh" in lines[2]
    assert "systemctl restart pi-digits" in lines[3]


def test_push_refuses_a_model_without_sidecar(tmp_path):
    model = tmp_path / "m.tflite"
    model.write_bytes(b"x")
    result = run("bash", "deploy/push.sh", "pi@host", "--model", str(model), "--dry-run")
    assert result.returncode == 2 and "sidecar" in result.stderr


def test_service_runs_the_app_headless_with_config_and_preview():
    unit = open(os.path.join(ROOT, "deploy", "pi-digits.service")).read()
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    for part in ("edge-app run", "--source picamera2", "--headless", "--config /etc/pi-digits/pi-digits.toml", "--serve"):
        assert part in exec_start
    assert "User=pidigits" in unit and "Restart=on-failure" in unit and "StandardOutput=journal" in unit


def test_shipped_config_is_valid():
    from edge_app.config import load_settings

    settings = load_settings(os.path.join(ROOT, "deploy", "pi-digits.toml"))
    assert settings.locate.threshold == "adaptive"
