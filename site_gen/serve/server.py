"""The preview HTTP server: the output folder, safely, plus the reload channel.

- Only files inside the output folder are ever served: the request path is decoded once,
  normalised, and the resolved file (symlinks followed) must still be inside the folder, so
  ``/../``, ``%2e%2e``, absolute paths and symlinks pointing out all get the 404 page.
- HTML responses get the live-reload script injected (only here: built files never contain it).
- ``/__site-gen/events`` is a server-sent-events stream: ``reload`` when a build finished,
  ``problem`` with the diagnostics when one failed (shown as an overlay), ``ok`` when it is fixed.
"""

from __future__ import annotations

import json
import posixpath
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

EVENTS = "/__site-gen/events"
SCRIPT = "/__site-gen/livereload.js"
PING_SECONDS = 15.0
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".xml": "application/xml",
    ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".ico": "image/x-icon",
    ".woff2": "font/woff2", ".pdf": "application/pdf",
}
LIVERELOAD_JS = (Path(__file__).parent / "livereload.js").read_bytes()


class PreviewState:
    """What the browsers are told: the build epoch and the current problem, if any."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.epoch = 0
        self.problem: list[dict] | None = None
        self.write_lock = threading.RLock()
        """Held while the output folder is being updated: requests wait, and never see half a site."""
        self.closing = False

    def publish(self, problem: list[dict] | None, reload: bool) -> None:
        with self.condition:
            if reload:
                self.epoch += 1
            self.problem = problem
            self.condition.notify_all()

    def close(self) -> None:
        with self.condition:
            self.closing = True
            self.condition.notify_all()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], root: Path, state: PreviewState):
        self.root = root.resolve()
        self.state = state
        super().__init__(address, PreviewHandler)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS:
            self._events()
        elif path == SCRIPT:
            self._send(HTTPStatus.OK, CONTENT_TYPES[".js"], LIVERELOAD_JS)
        else:
            self._serve(head=False)

    def _serve(self, head: bool) -> None:
        with self.server.state.write_lock:
            target = resolve_request(self.server.root, self.path)
            status = HTTPStatus.OK
            if target is None:
                status, target = HTTPStatus.NOT_FOUND, self.server.root / "404.html"
            try:
                data = target.read_bytes()
            except OSError:
                status, data, target = HTTPStatus.NOT_FOUND, b"Not found\n", Path("404.txt")
            epoch = self.server.state.epoch
        content_type = CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream")
        if target.suffix.lower() == ".html":
            data = inject(data, epoch)
        self._send(status, content_type, b"" if head else data, len(data))

    def _send(self, status: HTTPStatus, content_type: str, data: bytes, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        """Tell this browser the epoch and problem now, then whenever they change (with pings)."""
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        told: tuple[int, list[dict] | None] | None = None
        try:
            while True:
                with state.condition:
                    if told == (state.epoch, state.problem) and not state.closing:
                        state.condition.wait(PING_SECONDS)
                    if state.closing:
                        return
                    now = (state.epoch, state.problem)
                if told is None or now[1] != told[1]:
                    self._event("problem" if now[1] else "ok", json.dumps(now[1] or []))
                if told is None or now[0] != told[0]:
                    self._event("epoch", str(now[0]))
                if told == now:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                told = now
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return

    def _event(self, kind: str, data: str) -> None:
        self.wfile.write(f"event: {kind}\ndata: {data}\n\n".encode())
        self.wfile.flush()


def resolve_request(root: Path, raw_path: str) -> Path | None:
    """The file a request path names inside ``root``, or None (missing, or outside ``root``)."""
    path = unquote(urlsplit(raw_path).path, errors="strict")
    if "\x00" in path or "\\" in path:
        return None
    normalised = posixpath.normpath("/" + path.lstrip("/"))
    if ".." in normalised.split("/"):
        return None
    candidate = root / normalised.lstrip("/")
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if resolved != root and root not in resolved.parents:
        return None
    return resolved if resolved.is_file() else None


def inject(html: bytes, epoch: int) -> bytes:
    """Add the live-reload script before ``</body>``: the only difference from the built page."""
    tag = f'<script src="{SCRIPT}" data-epoch="{epoch}"></script>'.encode()
    position = html.rfind(b"</body>")
    return html[:position] + tag + html[position:] if position >= 0 else html + tag
