"""A small TCP proxy in front of the app that makes connection-level faults.

An ASGI app cannot refuse a connection, reset it or close it in place of a
response (uvicorn turns a failing app into a 500), so the public base URL
points here. Outage stops listening (new connections are refused) and resets
open connections with RST. A port marked in ``Faults.ports_to_drop`` has its
next response swallowed and the client connection closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct

from esimfly_desktop.sandbox.faults import Faults

log = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST instead of FIN, as a crashed or unplugged server would."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultProxy:
    def __init__(self, faults: Faults, upstream_port: int, port: int = 0) -> None:
        self.faults = faults
        self.upstream_port = upstream_port
        self.port = port
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.Task[None]] = set()
        self._client_writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> int:
        """Listen on 127.0.0.1 and return the port (a free one when ``port`` is 0)."""
        self._server = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def apply_outage(self) -> None:
        """Stop or resume listening to match ``faults.outage``."""
        if self.faults.outage and self._server is not None:
            self._server.close()
            self._server = None
            for writer in list(self._client_writers):
                _reset(writer)
            log.warning("Outage: port %d refuses connections, open ones reset", self.port)
        elif not self.faults.outage and self._server is None:
            await self.start()
            log.info("Outage over: port %d accepts connections again", self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for task in list(self._links):
            task.cancel()
        if self._links:
            await asyncio.wait(self._links, timeout=5)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._links.add(task)
        self._client_writers.add(writer)
        try:
            await self._link(reader, writer)
        finally:
            self._links.discard(task)
            self._client_writers.discard(writer)

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError as error:
            log.error("Proxy cannot reach the app on port %d: %s", self.upstream_port, error)
            _reset(writer)
            return

        upstream_port = up_writer.get_extra_info("sockname")[1]
        forward = asyncio.create_task(self._pump(reader, up_writer, None))
        backward = asyncio.create_task(self._pump(up_reader, writer, upstream_port))
        try:
            await asyncio.wait({forward, backward}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (forward, backward):
                task.cancel()
            await asyncio.gather(forward, backward, return_exceptions=True)
            self.faults.ports_to_drop.discard(upstream_port)
            for stream in (writer, up_writer):
                with contextlib.suppress(Exception):
                    stream.close()

    async def _pump(
        self, source: asyncio.StreamReader, target: asyncio.StreamWriter, drop_port: int | None
    ) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while chunk := await source.read(CHUNK_BYTES):
                if drop_port is not None and drop_port in self.faults.ports_to_drop:
                    self.faults.ports_to_drop.discard(drop_port)
                    log.warning("Dropping a response after commit (fault drop_after_commit)")
                    target.close()
                    return
                target.write(chunk)
                await target.drain()
