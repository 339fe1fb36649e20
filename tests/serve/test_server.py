"""The preview server against hostile and careless clients: malformed addresses get 400, a browser
that hangs up mid-answer makes no noise, and the server goes on answering."""

from __future__ import annotations

import socket
import struct
import time

import pytest

from site_gen.serve.server import inject, resolve_request
from site_gen.serve.session import PreviewSession, Reports

from ..conftest import copy_example
from .conftest import SLUG, get, port_of


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory):
    """One preview of the example site for the module; ``preview.lines``: what it printed."""
    site = copy_example(tmp_path_factory.mktemp("server"))
    lines: list[str] = []
    session = PreviewSession(site, "127.0.0.1", 0, reports=Reports(lines.append))
    session.start()
    session.lines = lines
    yield session
    session.stop()


@pytest.mark.parametrize("path", ["/%ff", "/articles/%c3%28/", "/%e2%82", "/glossary/%80%80/"])
def test_a_malformed_address_is_a_bad_request(preview, path: str, capfd) -> None:
    session = preview
    status, content_type, body = get(port_of(session), path)
    assert (status, content_type) == (400, "text/plain; charset=utf-8")
    assert body == b"Bad request: the address is not valid\n"
    assert get(port_of(session), f"/articles/{SLUG}/")[0] == 200, "the server goes on answering"
    assert "Traceback" not in capfd.readouterr().err
    assert session.lines == [line for line in session.lines if "preview server" not in line]


def test_resolve_request_refuses_malformed_paths_and_keeps_valid_ones(tmp_path) -> None:
    (tmp_path / "é").mkdir()
    (tmp_path / "é" / "index.html").write_text("page")
    with pytest.raises(ValueError):
        resolve_request(tmp_path, "/%ff")
    assert resolve_request(tmp_path, "/%C3%A9/") == (tmp_path / "é" / "index.html").resolve()


def hang_up(port: int, request: bytes) -> None:
    """Send ``request`` and close the connection at once with a reset, without reading the answer."""
    client = socket.create_connection(("127.0.0.1", port))
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.sendall(request)
    client.close()


def test_a_client_that_hangs_up_prints_no_traceback(preview, capfd) -> None:
    session = preview
    (session.out / "big.txt").write_bytes(b"x" * 8_000_000)
    port = port_of(session)
    for _ in range(2):
        hang_up(port, b"GET /big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        hang_up(port, b"GET /__site-gen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        hang_up(port, b"GET /articles/")
    time.sleep(0.3)
    assert get(port, f"/articles/{SLUG}/")[0] == 200
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Error" not in captured.err
    assert not [line for line in session.lines if "preview server" in line]


def test_injection_puts_the_scripts_before_the_end_of_the_body() -> None:
    assert inject(b"<body><p>x</p></body>", 3) == (
        b'<body><p>x</p><script src="/__site-gen/preview.js" data-epoch="3"></script></body>')
    with_token = inject(b"<body></body>", 1, "t0k")
    assert with_token == (b'<body><script src="/__site-gen/preview.js" data-epoch="1" data-token="t0k"></script>'
                          b'<script src="/__site-gen/workbench.js"></script></body>')
