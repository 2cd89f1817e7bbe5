"""A total deadline for one HTTP attempt, status line, headers and body included.

requests' and urllib3's `timeout` bounds each socket read, not the whole response: a server that sends
one byte every second holds a request forever. Neither library offers a total deadline (requests' docs
say so), so this module adds one: a timer that, at the deadline, shuts down the socket of every
connection the attempt used, which makes the blocked read return at once. The connections are found by
the connection classes `watched_pool_classes` makes for a session's adapter: each registers its socket
with the attempt in progress when it connects or sends a request (a kept-alive connection sends again,
so it is found too).
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
        # Sockets, not connections: http.client lets go of a connection's socket once a response that
        # ends when the server closes has started (the response reads it on its own).
        self._sockets: list[socket.socket] = []
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
            sockets, self._sockets = self._sockets, []
        if self.expired:
            # Shut down is not closed: until the socket is closed the server may go on sending into it.
            # Closing here, in the thread that used it, is safe (no read is in progress); the response
            # that still holds it closes its own file on the socket, which ends it.
            for sock in sockets:
                sock.close()

    def check(self) -> None:
        """Refuse to start connecting or sending once the deadline has passed."""
        with self._lock:
            if self.expired:
                raise DeadlinePassed("the attempt's deadline has passed")

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                raise DeadlinePassed("the attempt's deadline has passed")
            if sock not in self._sockets:
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            if not self._open:
                return
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            # socket.socket's own shutdown, also for an SSLSocket: just the file descriptor, so the
            # reading thread's blocked recv returns; the TLS state is left to the reader.
            with contextlib.suppress(OSError):  # already closed
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def watched_pool_classes(current: Callable[[], Watch | None]) -> dict[str, type[HTTPConnectionPool]]:
    """urllib3 pool classes whose connections register their sockets with `current()` (the attempt in
    progress) when they connect, and again when they send a request (a kept-alive connection)."""

    def _before(connection: Any) -> None:
        watch = current()
        if watch is not None:
            watch.check()

    def _after(connection: Any) -> None:
        watch = current()
        if watch is not None and getattr(connection, "sock", None) is not None:
            watch.add(connection.sock)

    class _Watched:
        """Registers the socket before and after connecting, and before each request."""

        def connect(self) -> None:
            _before(self)
            super().connect()  # type: ignore[misc]
            _after(self)

        def request(self, *args: Any, **kwargs: Any) -> None:
            _before(self)
            _after(self)  # a reused connection is connected already; a new one connects in request()
            super().request(*args, **kwargs)  # type: ignore[misc]

    class WatchedHTTPConnection(_Watched, HTTPConnection):
        pass

    class WatchedHTTPSConnection(_Watched, HTTPSConnection):
        pass

    class WatchedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = WatchedHTTPConnection

    class WatchedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = WatchedHTTPSConnection

    return {"http": WatchedHTTPConnectionPool, "https": WatchedHTTPSConnectionPool}
