"""A fault-injecting HTTP proxy on 127.0.0.1, between a sync client and a real server (SYNC.md guarantee 6).

``FaultProxy(upstream_url, seed=0)`` listens on a free loopback port (``.url``)
and forwards each HTTP/1.1 request on a fresh upstream connection, answering
the client with ``Connection: close``. Faults are chosen per request:

- ``plan(fault, path=..., method=..., times=1)`` queues a fault for the next
  matching requests (first matching rule wins, consumed in order);
- ``chaos(rate, faults, seed)`` picks a fault at random for a share of the
  requests, from a seeded ``random.Random`` (deterministic for a sequential client).

Faults (``Fault`` values): ``drop_before`` (close without forwarding),
``drop_after`` (forward, then close without answering: the lost response),
``truncate`` (forward, send headers and half the body, close), ``duplicate``
(send the request to the server twice, answer with the second reply),
``error_500/502/503`` (answer that status itself), ``delay`` (wait
``delay_s``, then forward). ``log`` records ``(method, path, fault)`` per request.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit


class Fault(StrEnum):
    """What the proxy does to one request."""

    PASS = "pass"
    DROP_BEFORE = "drop_before"
    DROP_AFTER = "drop_after"
    TRUNCATE = "truncate"
    DUPLICATE = "duplicate"
    ERROR_500 = "error_500"
    ERROR_502 = "error_502"
    ERROR_503 = "error_503"
    DELAY = "delay"


ALL_FAULTS: tuple[Fault, ...] = tuple(f for f in Fault if f is not Fault.PASS)


@dataclass
class _Rule:
    fault: Fault
    path: str | None
    method: str | None
    times: int


class FaultProxy:
    """A threaded proxy; ``stop()`` (or leaving the ``with`` block) closes it."""

    def __init__(self, upstream_url: str, *, seed: int = 0, delay_s: float = 0.2) -> None:
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.delay_s = delay_s
        self.log: list[tuple[str, str, Fault]] = []
        self._rules: list[_Rule] = []
        self._rate = 0.0
        self._faults: tuple[Fault, ...] = ()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fault-proxy", daemon=True)
        self._thread.start()

    # --- control ----------------------------------------------------------------

    def plan(
        self, fault: Fault | str, *, path: str | None = None, method: str | None = None, times: int = 1
    ) -> None:
        """Apply ``fault`` to the next ``times`` requests whose path contains ``path`` (and method matches)."""
        with self._lock:
            self._rules.append(_Rule(Fault(fault), path, method, times))

    def chaos(
        self, rate: float, faults: Iterable[Fault | str] = ALL_FAULTS, *, seed: int | None = None
    ) -> None:
        """Give a share ``rate`` of the requests a random fault from ``faults``."""
        with self._lock:
            self._rate = rate
            self._faults = tuple(Fault(f) for f in faults)
            if seed is not None:
                self._rng = random.Random(seed)

    def calm(self) -> None:
        """No more faults: forget the plan and the chaos."""
        with self._lock:
            self._rules.clear()
            self._rate = 0.0

    def faults_seen(self, fault: Fault | str | None = None) -> int:
        """How many requests got ``fault`` (any fault when ``None``)."""
        return sum(
            1 for _m, _p, f in self.log if (f is not Fault.PASS if fault is None else f == Fault(fault))
        )

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)
        self._sock.close()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- serving --------------------------------------------------------------------

    def _choose(self, method: str, path: str) -> Fault:
        with self._lock:
            for rule in self._rules:
                if (rule.path is None or rule.path in path) and (rule.method in (None, method)):
                    rule.times -= 1
                    if rule.times <= 0:
                        self._rules.remove(rule)
                    return rule.fault
            if self._rate and self._faults and self._rng.random() < self._rate:
                return self._rng.choice(self._faults)
            return Fault.PASS

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _addr = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            client.settimeout(30)
            try:
                request = _read_request(client)
            except (OSError, ValueError):
                return
            if request is None:
                return
            head, body = request
            method, path = head.split(b" ", 2)[:2]
            m, pth = method.decode(), path.decode()
            fault = self._choose(m, pth)
            self.log.append((m, pth, fault))
            if fault is Fault.DROP_BEFORE:
                return
            if fault in (Fault.ERROR_500, Fault.ERROR_502, Fault.ERROR_503):
                status = int(fault.value[-3:])
                client.sendall(
                    f"HTTP/1.1 {status} Injected\r\nContent-Type: text/plain\r\n"
                    f"Content-Length: 8\r\nConnection: close\r\n\r\ninjected".encode()
                )
                return
            if fault is Fault.DELAY:
                time.sleep(self.delay_s)
            try:
                reply = self._forward(head, body)
                if fault is Fault.DUPLICATE:
                    reply = self._forward(head, body)
            except OSError:
                return  # the server is gone: the client sees a dropped connection
            if fault is Fault.DROP_AFTER:
                return
            reply_head, _, reply_body = reply.partition(b"\r\n\r\n")
            reply_head = _with_close(reply_head)
            if fault is Fault.TRUNCATE:
                reply_body = reply_body[: len(reply_body) // 2]
            try:
                client.sendall(reply_head + b"\r\n\r\n" + reply_body)
            except OSError:
                return

    def _forward(self, head: bytes, body: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=60) as up:
            up.sendall(_with_close(head) + b"\r\n\r\n" + body)
            chunks = []
            while data := up.recv(65536):
                chunks.append(data)
        return b"".join(chunks)


def _read_request(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """One request's head (without the blank line) and its body (``Content-Length`` bytes)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            return None
        buf += data
    head, _, body = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        elif name.strip().lower() == b"transfer-encoding":
            raise ValueError("chunked requests are not supported by the test proxy")
    while len(body) < length:
        data = sock.recv(65536)
        if not data:
            return None
        body += data
    return head, body


def _with_close(head: bytes) -> bytes:
    """The same head with ``Connection: close`` (one request per connection, both ways)."""
    lines = [
        line for line in head.split(b"\r\n") if not line.lower().startswith((b"connection:", b"keep-alive:"))
    ]
    return b"\r\n".join([*lines, b"Connection: close"])
