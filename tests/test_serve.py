"""The preview server, for real, on loopback: page, MJPEG stream, status, token."""
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

from edge_app.errors import UserError
from edge_app.serve import BOUNDARY, PreviewServer

from conftest import ROOT, assert_one_line_error, run_cli


def picture(value):
    return np.full((120, 160, 3), value, np.uint8)


@pytest.fixture
def server():
    s = PreviewServer("127.0.0.1", 0, None, "ab" * 32)
    yield s
    s.close()


def url(server, path):
    host, port = server.address
    return f"http://{host}:{port}{path}"


def read_parts(response, count):
    """Read ``count`` JPEG parts from a multipart MJPEG response."""
    parts = []
    while len(parts) < count:
        line = response.readline()
        if line.strip() == f"--{BOUNDARY}".encode():
            headers = {}
            while (h := response.readline().strip()):
                key, _, value = h.decode().partition(":")
                headers[key.lower()] = value.strip()
            parts.append(response.read(int(headers["content-length"])))
    return parts


def test_stream_status_and_page(server):
    import threading

    stop = threading.Event()

    def feed():
        value = 0
        while not stop.is_set():
            server.publish(picture(value % 255), {"readings": ["427"], "frames": value})
            value += 1
            time.sleep(0.02)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        with urllib.request.urlopen(url(server, "/stream.mjpg"), timeout=5) as a, urllib.request.urlopen(url(server, "/stream.mjpg"), timeout=5) as b:
            assert a.headers["Content-Type"].startswith("multipart/x-mixed-replace")
            for parts in (read_parts(a, 3), read_parts(b, 3)):
                assert all(p[:2] == b"\xff\xd8" and p[-2:] == b"\xff\xd9" for p in parts)  # whole JPEGs
        status = json.load(urllib.request.urlopen(url(server, "/status"), timeout=5))
        assert status["readings"] == ["427"] and status["model_sha256"] == "ab" * 32 and status["uptime_s"] >= 0
        page = urllib.request.urlopen(url(server, "/"), timeout=5).read().decode()
        assert "/stream.mjpg" in page and "/status" in page
    finally:
        stop.set()


def test_token_is_checked_everywhere():
    server = PreviewServer("127.0.0.1", 0, "s3cret", "00" * 32)
    server.publish(picture(10), {})
    try:
        for path in ("/", "/status", "/stream.mjpg"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url(server, path), timeout=5)
            assert refused.value.code == 401
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(url(server, path + "?token=wrong"), timeout=5)
        assert urllib.request.urlopen(url(server, "/status?token=s3cret"), timeout=5).status == 200
        request = urllib.request.Request(url(server, "/status"), headers={"Authorization": "Bearer s3cret"})
        assert urllib.request.urlopen(request, timeout=5).status == 200
        assert "token=s3cret" in urllib.request.urlopen(url(server, "/?token=s3cret"), timeout=5).read().decode()
    finally:
        server.close()


def test_other_addresses_need_a_token():
    with pytest.raises(UserError, match="needs a token"):
        PreviewServer("0.0.0.0", 0, None, "00")
    result = run_cli("edge-app", "run", "--source", "samples/sample.mp4", "--headless", "--serve", "0.0.0.0:0",
                     env={"PI_DIGITS_TOKEN": ""})
    assert_one_line_error(result, "needs a token")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_page_shows_the_stream_in_headless_chromium(tmp_path):
    """The real app serves a live run; Chromium loads the page and the stream shows in it."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = subprocess.Popen([os.path.join(os.path.dirname(os.sys.executable), "edge-app"), "run", "--source", "samples/sample.mp4",
                            "--headless", "--serve", f"127.0.0.1:{port}", "--loop"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        shot = tmp_path / "page.png"
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile2'}", "--virtual-time-budget=4000", "--window-size=800,700",
             f"--screenshot={shot}", f"http://127.0.0.1:{port}/"], capture_output=True, text=True, timeout=60)
        import cv2

        image = cv2.imread(str(shot))
        assert image is not None
        # The page is dark (#111); the stream is a bright sheet of paper: it shows when
        # a large part of the screenshot is bright.
        assert (image.mean(axis=2) > 150).mean() > 0.2
    finally:
        app.terminate()
        app.wait(timeout=10)


def test_preview_shows_camera_faults(server):
    from edge_app.serve import ServeSink

    class Camera:
        faults = 2
        dropped = 0
        last_fault = "camera stopped delivering frames"

    sink = ServeSink(server, Camera())
    sink.show_fault("nothing yet")  # no picture yet: nothing to draw on, nothing published
    assert server.snapshot_status()["faults"] == 0
    from types import SimpleNamespace

    result = SimpleNamespace(ms={"locate": 1.0}, readings=[])
    sink.write(result, picture(200))
    sink.show_fault("camera fault 2: camera stopped delivering frames; retrying in 1.0 s")
    status = json.load(urllib.request.urlopen(url(server, "/status"), timeout=5))
    assert status["faults"] == 2 and "retrying" in status["fault"]
    _, jpeg = server.next_frame(0, timeout=0.1)
    import cv2

    shown = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert shown[10, 5, 2] > 100 and shown[10, 5, 0] < 80  # the red fault banner


def test_address_defaults_to_loopback():
    from edge_app.serve import parse_address

    assert parse_address("8080") == ("127.0.0.1", 8080)
    assert parse_address(":9000") == ("127.0.0.1", 9000)
    assert parse_address("0.0.0.0:8080") == ("0.0.0.0", 8080)
    with pytest.raises(UserError):
        parse_address("localhost:http")
