"""A total deadline for one HTTP attempt, status line, headers and body included.

requests' and urllib3's `timeout` bounds each socket read, not the whole response: a server that sends
one byte every second holds a request forever. Neither library offers a total deadline (requests' docs
say so), so this module adds one: a timer that, at the deadline, shuts down the socket of every
connection the attempt used, which makes the blocked read return at once. The connections are found by
the connection classes `watched_pool_classes` makes for a session's adapter: each registers itself with
the attempt in progress when it connects or sends a request (a kept-alive connection sends again, so it
is found too).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class DeadlinePassed(Exception):
    """Raised when an expired attempt tries to connect or send again (urllib3 retrying internally).

    Deliberately not an OSError: urllib3 would treat that as a connection error and retry it.
    """


class Watch:
    """One attempt's deadline (a `time.monotonic()` value). Use as a context manager around the attempt."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.expired = False
        self._open = True
        self._connections: list[HTTPConnection] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Watch:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._open = False  # a timer firing now must not shut a connection back in the pool
            self._connections.clear()

    def attach(self, connection: HTTPConnection) -> None:
        with self._lock:
            if self.expired:
                raise DeadlinePassed("the attempt's deadline has passed")
            self._connections.append(connection)

    def _expire(self) -> None:
        with self._lock:
            if not self._open:
                return
            self.expired = True
            connections = list(self._connections)
        for connection in connections:
            sock = getattr(connection, "sock", None)
            if sock is None:
                continue
            # socket.socket's own shutdown, also for an SSLSocket: just the file descriptor, so the
            # reading thread's blocked recv returns; the TLS state is left to the reader.
            with contextlib.suppress(OSError):  # already closed
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def watched_pool_classes(current: Callable[[], Watch | None]) -> dict[str, type[HTTPConnectionPool]]:
    """urllib3 pool classes whose connections register with `current()` (the attempt in progress)."""

    def _register(connection: Any) -> None:
        watch = current()
        if watch is not None:
            watch.attach(connection)

    class WatchedHTTPConnection(HTTPConnection):
        def connect(self) -> None:
            _register(self)
            super().connect()

        def request(self, *args: Any, **kwargs: Any) -> None:
            _register(self)
            super().request(*args, **kwargs)

    class WatchedHTTPSConnection(HTTPSConnection):
        def connect(self) -> None:
            _register(self)
            super().connect()

        def request(self, *args: Any, **kwargs: Any) -> None:
            _register(self)
            super().request(*args, **kwargs)

    class WatchedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = WatchedHTTPConnection

    class WatchedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = WatchedHTTPSConnection

    return {"http": WatchedHTTPConnectionPool, "https": WatchedHTTPSConnectionPool}
