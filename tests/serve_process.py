"""Runs a real `pantau serve` in a subprocess on a free loopback port (browser test, fuzz, bench)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PANTAU = [sys.executable, "-c", "from service.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pantau(args: list[str], env: dict, cwd: Path) -> str:
    """Run a `pantau` command to completion and return its output."""
    done = subprocess.run(PANTAU + args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"pantau {' '.join(args)} failed: {done.stderr}")
    return done.stdout


class Server:
    """`pantau serve` on 127.0.0.1, with a seeded store and an admin token."""

    def __init__(
        self,
        workdir: Path,
        database_url: str | None = None,
        seed: bool = True,
        workers: int = 1,
        extra_env: dict[str, str] | None = None,
    ):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PANTAU_DATABASE_URL": database_url or f"sqlite:///{workdir / 'pantau.db'}",
            **(extra_env or {}),
        }
        if seed:
            pantau(["seed"], self.env, workdir)
        self.token = pantau(["users", "ensure-admin"], self.env, workdir).strip().splitlines()[-1]
        self.log = (workdir / "serve.log").open("w")
        self.process = subprocess.Popen(
            PANTAU + ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)],
            env=self.env,
            cwd=workdir,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()

    def _wait_until_up(self, within: float = 90.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pantau serve exited: {(self.workdir / 'serve.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)  # polling a starting process, not waiting for business time
        raise RuntimeError("pantau serve did not answer /healthz in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
