"""An oversize body gets a plain 413 page from the real servers, runserver (`make demo`) and
gunicorn (production), and the server goes on answering. A "Connection: close" header on the
413 made runserver answer 500 ("Hop-by-hop headers not allowed")."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stdout.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


@pytest.fixture(params=["runserver", "gunicorn"])
def server(request, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # The 413 page needs no database: an empty one shows it.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "PORT": str(port),
    }
    env.pop("PORTAL_ENV", None)
    if request.param == "runserver":
        command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    else:
        command = [str(BIN / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", "1"]
        command.append("portal.wsgi:application")
    process = subprocess.Popen(  # noqa: S603 - our own servers with fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_for(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def _post_declaring(port: int, length: int) -> bytes:
    """Declare LENGTH bytes, send a few, and read the answer before sending the rest."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\n"
            + f"Host: 127.0.0.1:{port}\r\n".encode()
            + b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {length}\r\n\r\n".encode()
            + b"email=a"
        )
        answer = b""
        while b"</html>" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def test_a_200_megabyte_body_gets_a_plain_413_and_the_server_carries_on(server):
    answer = _post_declaring(server, 200 * 1024 * 1024)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    assert b"hop-by-hop" not in answer.lower()
    assert b"Too much was sent" in body
    assert "nothing was saved" in body.decode()
    with urllib.request.urlopen(f"http://127.0.0.1:{server}/healthz", timeout=10) as response:
        assert response.status == 200
