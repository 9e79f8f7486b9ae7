"""Browser preview: an MJPEG stream of the annotated frames, a page, and a status JSON.

Each frame is JPEG-encoded once and the same bytes go to every viewer, so more viewers
cost network, not pipeline time. Loopback needs no token; any other address does, and
then the page and every endpoint check it.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import cv2

from .errors import UserError

BOUNDARY = "pidigitsframe"
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>pi-digits</title>
<style>body{font-family:sans-serif;background:#111;color:#eee;margin:1em}img{max-width:100%;border:1px solid #444}
#readings{font-size:2em;font-weight:bold;color:#fb0;min-height:1.2em}small{color:#999}</style></head>
<body><div id="readings">-</div><img id="stream" src="/stream.mjpg__QUERY__" alt="live preview">
<p><small id="status">connecting...</small></p>
<script>
async function poll() {
  try {
    const s = await (await fetch('/status__QUERY__')).json();
    document.getElementById('readings').textContent = s.readings.join('  ') || '-';
    document.getElementById('status').textContent =
      `${s.fps.toFixed(1)} fps, ${s.frames} frames, ${s.dropped} dropped, ${s.faults} camera faults` +
      (s.fault ? ` (last: ${s.fault})` : '') + `, up ${Math.round(s.uptime_s)} s, model ${s.model_sha256.slice(0, 12)}`;
  } catch (e) { document.getElementById('status').textContent = 'no status: ' + e; }
  setTimeout(poll, 1000);
}
poll();
</script></body></html>
"""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_address(text: str) -> tuple[str, int]:
    """HOST:PORT, or just PORT (or :PORT) for loopback."""
    host, _, port = text.rpartition(":")
    host = host or "127.0.0.1"
    try:
        port_number = int(port)
    except ValueError:
        port_number = -1
    if not host or not 0 <= port_number < 65536:
        raise UserError(f"--serve wants PORT or HOST:PORT, e.g. 8080 or 0.0.0.0:8080, not {text!r}")
    return host.strip("[]"), port_number


class PreviewServer:
    def __init__(self, host: str, port: int, token: str | None, model_sha256: str):
        if not is_loopback(host) and not token:
            raise UserError(f"serving on {host} needs a token (PI_DIGITS_TOKEN or serve_token in the config); loopback needs none")
        self.token = token or None
        self._condition = threading.Condition()
        self._jpeg: bytes | None = None
        self._sequence = 0
        self._closing = False
        self._started = time.monotonic()
        self.status = {"fps": 0.0, "ms": {}, "frames": 0, "dropped": 0, "faults": 0, "fault": None, "readings": [],
                       "model_sha256": model_sha256}
        try:
            self._httpd = ThreadingHTTPServer((host, port), self._handler())
        except OSError as exc:
            raise UserError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
        self._httpd.daemon_threads = True
        self.address = self._httpd.server_address[:2]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="preview-server", daemon=True)
        self._thread.start()

    def publish(self, picture, status: dict) -> None:
        ok, encoded = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, 80])
        if not ok:
            return
        with self._condition:
            self._jpeg = encoded.tobytes()
            self._sequence += 1
            self.status.update(status)
            self._condition.notify_all()

    def next_frame(self, after: int, timeout: float = 2.0):
        with self._condition:
            self._condition.wait_for(lambda: self._sequence > after or self._closing, timeout=timeout)
            return self._sequence, self._jpeg

    def snapshot_status(self) -> dict:
        with self._condition:
            return {**self.status, "uptime_s": time.monotonic() - self._started}

    def close(self) -> None:
        with self._condition:
            self._closing = True
            self._condition.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _authorised(self, path: str, headers) -> bool:
        if self.token is None:
            return True
        given = parse_qs(urlparse(path).query).get("token", [""])[0]
        bearer = headers.get("Authorization", "")
        if bearer.startswith("Bearer "):
            given = given or bearer[7:]
        return hmac.compare_digest(given.encode(), self.token.encode())

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # requests are not worth a journal line each
                pass

            def _send(self, code, body: bytes, kind: str):
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                route = urlparse(self.path).path
                if not server._authorised(self.path, self.headers):
                    self._send(401, b"token required\n", "text/plain")
                    return
                query = f"?token={server.token}" if server.token else ""
                if route in ("/", "/index.html"):
                    self._send(200, PAGE.replace("__QUERY__", query).encode(), "text/html; charset=utf-8")
                elif route == "/status":
                    self._send(200, json.dumps(server.snapshot_status()).encode(), "application/json")
                elif route == "/stream.mjpg":
                    self._stream()
                else:
                    self._send(404, b"not found\n", "text/plain")

            def _stream(self):
                self.send_response(200)
                self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Connection", "close")
                self.end_headers()
                seen = 0
                try:
                    while not server._closing:
                        seen, jpeg = server.next_frame(seen)
                        if jpeg is None:
                            continue
                        self.wfile.write(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n".encode())
                        self.wfile.write(jpeg)
                        self.wfile.write(b"\r\n")
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the viewer went away
                self.close_connection = True

        return Handler


class ServeSink:
    """Hands each annotated frame and the run's counters to the preview server."""

    needs_picture = True

    def __init__(self, server: PreviewServer, source):
        self.server = server
        self.source = source
        self._picture = None
        self._last = None
        self._fps = 0.0
        self._frames = 0

    def write(self, result, picture) -> None:
        now = time.monotonic()
        if self._last is not None and now > self._last:
            self._fps = 0.9 * self._fps + 0.1 * (1.0 / (now - self._last)) if self._fps else 1.0 / (now - self._last)
        self._last = now
        self._frames += 1
        self._picture = picture
        self.server.publish(picture, {
            "fps": round(self._fps, 2), "ms": {k: round(v, 2) for k, v in result.ms.items()}, "frames": self._frames,
            "dropped": int(getattr(self.source, "dropped", 0)), "faults": int(getattr(self.source, "faults", 0)),
            "fault": getattr(self.source, "last_fault", None), "readings": [r.text for r in result.readings],
        })

    def show_fault(self, message: str) -> None:
        """While the camera is being reopened: the last picture with the fault on it."""
        if self._picture is None:
            return
        picture = self._picture.copy()
        cv2.rectangle(picture, (0, 0), (picture.shape[1], 36), (0, 0, 160), -1)
        cv2.putText(picture, message[:90], (8, 25), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 1, cv2.LINE_AA)
        self.server.publish(picture, {"faults": int(getattr(self.source, "faults", 0)), "fault": message})

    def close(self) -> None:
        self.server.close()
