"""The pty pump: bytes between a student's SSH channel and their session's pseudo-terminal, with
bounds on everything a client controls.

- Terminal size: capped at ``MAX_COLUMNS`` x ``MAX_ROWS`` (a 10000x10000 request would have the
  session draw, and keep in memory, a hundred million cells); any value a client can send is
  accepted (``clamp_size``), 0 means the default.
- Input: the pty takes what the session reads; what it has not read yet waits here, and above
  ``INPUT_HIGH`` bytes the channel stops reading (SSH flow control holds the client back) until
  the session catches up. Nothing is dropped.
- Pastes: the exam has nothing to paste into, and a megabyte typed into a terminal app is a
  megabyte of key presses, each of which could act. ``InputFilter`` keeps a bracketed paste a
  paste (its end marker always gets through, however long the paste, even split across reads),
  turns a burst of input too long to be typed into a bracketed paste, and passes only the first
  ``PASTE_KEEP`` bytes of any paste on: the session gets one Paste event, not a million keys.
- Output: when the client is slow the channel asks to pause, and the pump stops reading the pty,
  so the session blocks on its own output instead of anything growing here.

No asyncssh here: the channel is anything with ``write``, ``pause_reading`` and
``resume_reading``.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import struct
import termios
from collections.abc import Callable
from typing import Protocol

MAX_COLUMNS, MAX_ROWS = 500, 200
DEFAULT_SIZE = (80, 24)
INPUT_HIGH = 64 * 1024  # pause the channel above this much unread input
INPUT_LOW = 16 * 1024   # and resume below this
PASTE_START, PASTE_END = b"\x1b[200~", b"\x1b[201~"
PASTE_KEEP = 4096  # bytes of each paste passed on to the session
# One read of more than this, outside a bracketed paste, is pasted text: nobody types it between
# two packets (keys arrive a few bytes at a time, even with auto-repeat, and a client held back
# by flow control has typed ahead a few dozen keys at most).
TYPED_BURST = 512
READ_SIZE = 64 * 1024


def clamp_size(columns: int, rows: int) -> tuple[int, int, bool]:
    """(columns, rows, capped) for a size a client asked for; 0 or less means the default."""
    if columns <= 0 or rows <= 0:
        return (*DEFAULT_SIZE, False)
    capped = columns > MAX_COLUMNS or rows > MAX_ROWS
    return min(columns, MAX_COLUMNS), min(rows, MAX_ROWS), capped


def set_window_size(fd: int, columns: int, rows: int) -> None:
    columns, rows, _ = clamp_size(columns, rows)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _partial_suffix(data: bytes, marker: bytes) -> int:
    """How many bytes at the end of ``data`` could be the start of ``marker``."""
    for size in range(min(len(marker) - 1, len(data)), 0, -1):
        if marker.startswith(data[-size:]):
            return size
    return 0


class InputFilter:
    """Keeps pastes pastes, and short (see the module's docstring). Pure: bytes in, bytes out."""

    def __init__(self, keep: int = PASTE_KEEP, typed_burst: int = TYPED_BURST) -> None:
        self.keep = keep
        self.typed_burst = typed_burst
        self.in_paste = False
        self.kept = 0          # bytes of the current paste passed on
        self.discarded = 0     # bytes of pastes not passed on, in all
        self._carry = b""      # the start of a marker split across two reads

    def feed(self, data: bytes) -> bytes:
        data = self._carry + data
        self._carry = b""
        out = bytearray()
        while data:
            marker = PASTE_END if self.in_paste else PASTE_START
            at = data.find(marker)
            if at < 0:
                hold = _partial_suffix(data, marker)
                if hold == len(data) == 1 and not self.in_paste:
                    hold = 0  # a read of just ESC is the Escape key: never hold it back
                body, self._carry = (data[:-hold], data[-hold:]) if hold else (data, b"")
                data = b""
            else:
                body, data = data[:at], data[at + len(marker):]
            # The other marker means nothing here (a paste cannot nest, an end without a start
            # ends nothing), and inside text that is wrapped as a paste it would end it early.
            body = body.replace(PASTE_START if self.in_paste else PASTE_END, b"")
            if self.in_paste:
                self._paste_body(body, out)
                if at >= 0:
                    out += PASTE_END
                    self.in_paste = False
            else:
                if len(body) > self.typed_burst:  # pasted without brackets: make it a paste
                    out += PASTE_START
                    self.kept = 0
                    self._paste_body(body, out)
                    out += PASTE_END
                else:
                    out += body
                if at >= 0:
                    out += PASTE_START
                    self.in_paste, self.kept = True, 0
        return bytes(out)

    def _paste_body(self, body: bytes, out: bytearray) -> None:
        room = max(0, self.keep - self.kept)
        # Cut at a character boundary: a UTF-8 continuation byte never starts the cut-off part.
        take = min(room, len(body))
        while 0 < take < len(body) and (body[take] & 0xC0) == 0x80:
            take -= 1
        out += body[:take]
        self.kept += take
        self.discarded += len(body) - take


class Channel(Protocol):
    def write(self, data: bytes) -> None: ...
    def pause_reading(self) -> None: ...
    def resume_reading(self) -> None: ...


class PtyPump:
    """Moves bytes between ``channel`` and the pty ``master`` (non-blocking) on the running
    loop; ``on_eof`` runs once when the session side has closed the terminal."""

    def __init__(self, channel: Channel, master: int, on_eof: Callable[[], None]) -> None:
        self.channel = channel
        self.master = master
        self.on_eof = on_eof
        self.filter = InputFilter()
        self.pending = bytearray()
        self.reading = False      # reading the pty (output to the client)
        self.input_paused = False  # the channel paused for unread input
        self.writing = False      # a writer callback waits for the pty to take input
        self.output_bytes = 0
        self.closed = False
        self.loop = asyncio.get_running_loop()
        os.set_blocking(master, False)

    # output: pty -> channel
    def start(self) -> None:
        self.resume_output()

    def pause_output(self) -> None:
        if self.reading and not self.closed:
            self.loop.remove_reader(self.master)
            self.reading = False

    def resume_output(self) -> None:
        if not self.reading and not self.closed:
            self.loop.add_reader(self.master, self._readable)
            self.reading = True

    def _readable(self) -> None:
        try:
            data = os.read(self.master, READ_SIZE)
        except BlockingIOError:
            return
        except OSError:  # EIO: every slave descriptor is closed, the session has ended
            data = b""
        if not data:
            self.stop()
            self.on_eof()
            return
        self.output_bytes += len(data)
        self.channel.write(data)

    # input: channel -> pty
    def feed(self, data: bytes) -> None:
        if self.closed:
            return
        self.pending += self.filter.feed(data)
        self._flush()
        if len(self.pending) > INPUT_HIGH and not self.input_paused:
            self.input_paused = True
            self.channel.pause_reading()

    def _flush(self) -> None:
        if self.closed or not self.pending:
            return
        try:
            written = os.write(self.master, self.pending)
        except BlockingIOError:
            written = 0
        except OSError:
            self.pending.clear()
            return
        del self.pending[:written]
        if self.pending and not self.writing:
            self.loop.add_writer(self.master, self._writable)
            self.writing = True
        if self.input_paused and len(self.pending) < INPUT_LOW:
            self.input_paused = False
            self.channel.resume_reading()

    def _writable(self) -> None:
        self.loop.remove_writer(self.master)
        self.writing = False
        self._flush()

    def resize(self, columns: int, rows: int) -> None:
        if not self.closed:
            # The kernel turns this into SIGWINCH for the session's foreground group.
            with contextlib.suppress(OSError):
                set_window_size(self.master, columns, rows)

    def stop(self) -> None:
        """Stop moving bytes; the master stays open until ``close``."""
        if self.reading:
            self.loop.remove_reader(self.master)
            self.reading = False
        if self.writing:
            self.loop.remove_writer(self.master)
            self.writing = False
        self.closed = True

    def close(self) -> None:
        self.stop()
        with contextlib.suppress(OSError):
            os.close(self.master)
