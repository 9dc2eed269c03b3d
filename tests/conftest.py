"""Fixtures shared by test files: the real API server on a free local port."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest


def free_port() -> int:
    """A local port no one listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def api_server() -> Iterator[tuple[int, int]]:
    """`uvicorn helpers.api:app` on 127.0.0.1, one worker, once per test run: (port, pid),
    yielded when /health says the model is loaded."""
    pytest.importorskip("fastapi")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "helpers.api:app", "--host",
                                "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):  # up to 60 s for torch to import and the model to load
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    if json.load(r)["model_loaded"]:
                        break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # never leave a server behind the test run
            process.kill()
            process.wait()
