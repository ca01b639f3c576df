"""Start the service as a real process (uvicorn over TCP) for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIOQL = str(Path(sys.executable).with_name("bioql"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A server process on a free port; ``stop()`` shuts it down gracefully."""

    def __init__(self, args: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=self._log, text=True
        )
        self.first_line = ""

    def wait_ready(self, timeout: float = 90, read_first_line: bool = False) -> LiveServer:
        if read_first_line:
            self.first_line = self.proc.stdout.readline()  # type: ignore[union-attr]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code in (200, 503):
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server not ready: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def server_env(home: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ, BIOQL_HOME=str(home), PYTHONUNBUFFERED="1", **extra)
    env.pop("BIOQL_DATABASE_URL", None)
    if database_url:
        env["BIOQL_DATABASE_URL"] = database_url
    return env


def bioql_serve(
    home: Path, log: Path, database_url: str | None = None, workers: int = 1, **extra: str
) -> LiveServer:
    port = free_port()
    env = server_env(home, database_url, **extra)
    args = [BIOQL, "serve", "--port", str(port), "--workers", str(workers), "--json"]
    args += ["--log-level", "warning"]
    return LiveServer(args, env, port, log)


def uvicorn_fake(
    home: Path, log: Path, database_url: str | None = None, workers: int = 2, **extra: str
) -> LiveServer:
    """uvicorn serving tests.server.fakes:app_factory (the fake assistant)."""
    port = free_port()
    env = server_env(home, database_url, **extra)
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "tests.server.fakes:app_factory",
        "--factory",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    return LiveServer(args, env, port, log)


def admin_cli(
    home: Path, *args: str, database_url: str | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIOQL, "admin", *args],
        env=server_env(home, database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
