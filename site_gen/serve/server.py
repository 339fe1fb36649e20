"""The preview HTTP server: the output folder, safely, plus the reload channel and the workbench's API.

- Only files inside the output folder are ever served: the request path is decoded once,
  normalised, and the resolved file (symlinks followed) must still be inside the folder, so
  ``/../``, ``%2e%2e``, absolute paths and symlinks pointing out all get the 404 page; a path that
  is not valid percent-encoded UTF-8 (``/%ff``) gets 400.
- HTML responses get the preview scripts injected (only here: built files never contain them).
- ``/__site-gen/events`` is a server-sent-events stream: ``epoch`` when a build was published (the
  page reloads), ``problems`` with the current errors and warnings (the overlay).
- ``/__site-gen/api/<action>`` (only when editing is on): same-origin JSON POSTs carrying the
  session's token, answered by the workbench (:mod:`.workbench`). No CORS headers, ever.
- A browser that goes away mid-answer is no error: nothing is printed.
"""

from __future__ import annotations

import ipaddress
import json
import posixpath
import secrets
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

PREFIX = "/__site-gen/"
EVENTS = PREFIX + "events"
API = PREFIX + "api/"
TOKEN_HEADER = "X-Site-Gen-Token"
MAX_BODY = 256 * 1024
"""Bytes an API request may carry (the largest form, every field at its limit, is well below)."""
PING_SECONDS = 15.0
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".xml": "application/xml",
    ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".ico": "image/x-icon",
    ".woff2": "font/woff2", ".pdf": "application/pdf",
}
ASSETS = {PREFIX + name: name for name in ("preview.js", "preview.css", "workbench.js")}
"""The preview's own files (in this package), served under the prefix and never written to the output."""
DISCONNECTED = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class Api(Protocol):
    def handle(self, action: str, payload: dict) -> tuple[int, dict]:
        """The status and JSON answer to one request."""
        ...


class PreviewState:
    """What the browsers are told: the build epoch and the current problems (the overlay's list)."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.epoch = 0
        self.problems: dict = {}
        self.write_lock = threading.RLock()
        """Held while the output folder is being updated: requests wait, and never see half a site."""
        self.closing = False

    def publish(self, problems: dict, reload: bool) -> None:
        with self.condition:
            if reload:
                self.epoch += 1
            self.problems = problems
            self.condition.notify_all()

    def close(self) -> None:
        with self.condition:
            self.closing = True
            self.condition.notify_all()


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) reaches only this machine: ``localhost``, ``127.0.0.0/8``, ``::1``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], root: Path, state: PreviewState, api: Api | None = None,
                 report: Callable[[str], None] = print):
        self.root = root.resolve()
        self.state = state
        self.api = api
        self.report = report
        self.token = secrets.token_urlsafe(32) if api is not None else ""
        """Embedded in every page while editing is on; an API request without it is refused."""
        super().__init__(address, PreviewHandler)

    def handle_error(self, request, client_address) -> None:
        """A browser that closed the connection is normal; anything else is one line, never a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, DISCONNECTED):
            return
        self.report(f"preview server: {type(error).__name__}: {error} (while answering {client_address[0]})")

    def origins(self) -> set[str]:
        """The origins the preview's own pages have (the address it listens on, and its loopback names)."""
        host, port = self.server_address[:2]
        names = {host, f"[{host}]"}
        if is_loopback(host):
            names |= {"127.0.0.1", "localhost", "[::1]"}
        return {f"http://{name}:{port}" for name in names}


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
        elif path in ASSETS and (path != PREFIX + "workbench.js" or self.server.api is not None):
            name = ASSETS[path]
            self._send(HTTPStatus.OK, CONTENT_TYPES[Path(name).suffix], (Path(__file__).parent / name).read_bytes())
        else:
            self._serve(head=False)

    def do_POST(self) -> None:
        self.close_connection = True
        path = urlsplit(self.path).path
        if self.server.api is None or not path.startswith(API):
            self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        refusal = self._refusal()
        if refusal:
            self._json(refusal[0], {"error": refusal[1]})
            return
        length = self.headers.get("Content-Length", "")
        if not length.isdigit():
            self._json(HTTPStatus.LENGTH_REQUIRED, {"error": "the request has no Content-Length"})
            return
        if int(length) > MAX_BODY:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": f"the request is over {MAX_BODY} bytes"})
            return
        try:
            payload = json.loads(self.rfile.read(int(length)).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            payload = None
        if not isinstance(payload, dict):
            self._json(HTTPStatus.BAD_REQUEST, {"error": "the request is not a JSON object"})
            return
        try:
            status, answer = self.server.api.handle(path[len(API):], payload)
        except Exception as exc:
            self.server.report(f"preview server: internal error: {type(exc).__name__}: {exc}")
            status, answer = 500, {"error": f"internal error: {type(exc).__name__}: {exc}; please report it"}
        self._json(HTTPStatus(status), answer)

    def _refusal(self) -> tuple[HTTPStatus, str] | None:
        """Why an API request is refused: not from one of the preview's own pages, or without the token."""
        origins = self.server.origins()
        host = self.headers.get("Host", "")
        if is_loopback(self.server.server_address[0]) and f"http://{host}" not in origins:
            return HTTPStatus.FORBIDDEN, "requests must be addressed to the preview server by its own name"
        origin = self.headers.get("Origin", "")
        if origin != f"http://{host}":
            return HTTPStatus.FORBIDDEN, "only the preview's own pages may make changes (cross-origin request refused)"
        if self.headers.get_content_type() != "application/json":
            return HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "the request must be JSON"
        if not secrets.compare_digest(self.headers.get(TOKEN_HEADER, ""), self.server.token):
            return HTTPStatus.FORBIDDEN, "the session token is missing or wrong: reload the page"
        return None

    def _serve(self, head: bool) -> None:
        try:
            target = resolve_request(self.server.root, self.path)
        except ValueError:
            self._send(HTTPStatus.BAD_REQUEST, CONTENT_TYPES[".txt"], b"Bad request: the address is not valid\n")
            return
        with self.server.state.write_lock:
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
            data = inject(data, epoch, self.server.token)
        self._send(status, content_type, b"" if head else data, len(data))

    def _json(self, status: HTTPStatus, answer: dict) -> None:
        self._send(status, CONTENT_TYPES[".json"], json.dumps(answer).encode())

    def _send(self, status: HTTPStatus, content_type: str, data: bytes, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        """Tell this browser the epoch and problems now, then whenever they change (with pings)."""
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        told: tuple[int, dict] | None = None
        try:
            while True:
                with state.condition:
                    if told == (state.epoch, state.problems) and not state.closing:
                        state.condition.wait(PING_SECONDS)
                    if state.closing:
                        return
                    now = (state.epoch, state.problems)
                if told is None or now[1] != told[1]:
                    self._event("problems", json.dumps(now[1]))
                if told is None or now[0] != told[0]:
                    self._event("epoch", str(now[0]))
                if told == now:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                told = now
        except DISCONNECTED:
            return

    def _event(self, kind: str, data: str) -> None:
        self.wfile.write(f"event: {kind}\ndata: {data}\n\n".encode())
        self.wfile.flush()


def resolve_request(root: Path, raw_path: str) -> Path | None:
    """The file a request path names inside ``root``, or None (missing, or outside ``root``);
    raises ValueError when the path is not valid percent-encoded UTF-8."""
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


def inject(html: bytes, epoch: int, token: str = "") -> bytes:
    """Add the preview's scripts before ``</body>``: the only difference from the built page. With a
    token (editing is on), the workbench too, and the token for its requests."""
    tags = f'<script src="{PREFIX}preview.js" data-epoch="{epoch}"'
    tags += f' data-token="{token}"></script><script src="{PREFIX}workbench.js"></script>' if token else "></script>"
    position = html.rfind(b"</body>")
    encoded = tags.encode()
    return html[:position] + encoded + html[position:] if position >= 0 else html + encoded
