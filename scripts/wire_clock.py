"""A clock at the server's door: times each rerun as it crosses the wire.

The load test's browser shares this machine's two cores with the server, and
at idle priority it tells what it sent and received late, when it gets a core
again: a clock fed by the browser's own reports counts that wait as the
server's. This clock is a pass-through proxy in the load test's own process
(normal priority), in front of the server. It passes every byte on unchanged
and reads Streamlit's websocket messages as they cross: a page's rerun
request, then the server's "script finished". What it times is what the
server took, queueing included, and nothing the browser took.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import numpy as np
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STREAM = b"GET /_stcore/stream"  # the request that opens a page's websocket
CONTINUATION, BINARY = 0x0, 0x2


class Frames:
    """Whole websocket messages (RFC 6455) from a byte stream fed in pieces."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.opcode = 0
        self.parts: list[bytes] = []

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        """Every message completed by ``data``, as (opcode, payload)."""
        self.buffer += data
        messages = []
        while (frame := self._frame()) is not None:
            fin, opcode, payload = frame
            if opcode & 0x8:  # ping, pong, close: never fragmented, never ours
                continue
            if opcode != CONTINUATION:
                self.opcode, self.parts = opcode, []
            self.parts.append(payload)
            if fin:
                messages.append((self.opcode, b"".join(self.parts)))
                self.parts = []
        return messages

    def _frame(self) -> tuple[bool, int, bytes] | None:
        head = self.buffer
        if len(head) < 2:
            return None
        if head[0] & 0x70:
            raise ValueError("compressed websocket frames: the clock cannot read them")
        fin, opcode, masked, length = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x80, \
            head[1] & 0x7F
        start = 2
        if length >= 126:
            size = 2 if length == 126 else 8
            if len(head) < 2 + size:
                return None
            length, start = int.from_bytes(head[2:2 + size], "big"), 2 + size
        key = head[start:start + 4] if masked else b""
        start += len(key)
        if len(key) < (4 if masked else 0) or len(head) < start + length:
            return None
        payload = bytes(head[start:start + length])
        del head[:start + length]
        if masked:  # a page masks what it sends
            mask = np.resize(np.frombuffer(key, np.uint8), length)
            payload = (np.frombuffer(payload, np.uint8) ^ mask).tobytes()
        return bool(fin), opcode, payload


class Side:
    """One direction of one connection: its HTTP head, then a page's websocket messages."""

    def __init__(self, on_message: Callable[[bytes], None]) -> None:
        self.head = bytearray()
        self.frames: Frames | None = None
        self.on_message = on_message
        self.websocket: bool | None = None  # unknown until the head is read

    def feed(self, data: bytes) -> None:
        """Read what just crossed; hand each whole binary message on."""
        if self.websocket is False:
            return
        if self.frames is None:
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            head, rest = bytes(self.head[:end]), bytes(self.head[end + 4:])
            self.head.clear()
            self.websocket = head.startswith((STREAM, b"HTTP/1.1 101"))
            if not self.websocket:
                return
            self.frames = Frames()
            data = rest
        for opcode, payload in self.frames.feed(data):
            if opcode == BINARY:
                self.on_message(payload)


class WireClock:
    """A proxy in front of ``upstream``; ``latencies`` holds each rerun's seconds on the wire.

    A rerun starts when a page's rerun request reaches the proxy and ends when
    the server's "script finished" for it does. Requests the server merges
    (a second change while a run is still going) count once, from the first.
    """

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.host, self.port = parts.hostname, parts.port
        self.latencies: list[float] = []
        self.problems: list[str] = []  # messages the clock could not read
        self.url = ""
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> WireClock:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc) -> None:
        self._server.close()

    async def _serve(self, page_in: asyncio.StreamReader, page_out: asyncio.StreamWriter) -> None:
        server_in, server_out = await asyncio.open_connection(self.host, self.port)
        asked: list[float] = []

        def from_page(payload: bytes) -> None:
            if BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
                asked.append(time.perf_counter())

        def from_server(payload: bytes) -> None:
            message = ForwardMsg.FromString(payload)
            if asked and message.WhichOneof("type") == "script_finished" and \
                    message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                self.latencies.append(time.perf_counter() - asked[0])
                asked.clear()

        ends = await asyncio.gather(_pipe(page_in, server_out, Side(from_page)),
                                    _pipe(server_in, page_out, Side(from_server)),
                                    return_exceptions=True)
        self.problems += [f"{type(end).__name__}: {end}" for end in ends
                          if isinstance(end, Exception) and not isinstance(end, ConnectionError)]


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter, side: Side) -> None:
    """Pass bytes on as they come, reading them on the way; close the far end at the end.

    Never waits for the far end to take what it was given: a page starved of
    CPU reads its socket late, and waiting for it would stop the clock from
    reading what the server has already sent (the server itself never waits
    for a page). What a page has not read yet waits in memory here.
    """
    try:
        while data := await source.read(1 << 16):
            side.feed(data)
            sink.write(data)
    finally:
        sink.close()
