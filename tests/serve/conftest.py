"""Live preview's shared helpers: a session on a copy of the example site, a reader of its events."""

from __future__ import annotations

import http.client
import json
import time
from pathlib import Path

import pytest

from site_gen.serve.session import PreviewSession, Reports

SLUG = "us-defense-secretary-panetta-threatens-ground-intervention-into-pakistan"
SEED = "seeds/000_1b2b8db6055a75fe.txt"


class Events:
    """A server-sent-events reader on its own connection."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.connection.request("GET", "/__site-gen/events")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next(self, kinds: tuple[str, ...] = ("epoch", "problems")) -> tuple[str, str]:
        kind = data = ""
        while True:
            line = self.response.fp.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and kind:
                if kind in kinds:
                    return kind, data
                kind = data = ""

    def problems(self, until) -> dict:
        """The next overlay content that satisfies ``until(problems)``."""
        while True:
            problems = json.loads(self.next(("problems",))[1])
            if until(problems):
                return problems

    def close(self) -> None:
        self.connection.close()


def errors(problems: dict) -> list[str]:
    return [item["text"] for item in problems["items"] if item["severity"] == "error"]


def get(port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type") or "", body


@pytest.fixture
def session(example_site: Path):
    """A preview of a copy of the example site on a free loopback port; ``session.lines``: what it printed."""
    lines: list[str] = []
    preview = PreviewSession(example_site, "127.0.0.1", 0, reports=Reports(lines.append))
    preview.start()
    preview.lines = lines
    yield preview
    preview.stop()


def port_of(session: PreviewSession) -> int:
    return session.server.server_address[1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
