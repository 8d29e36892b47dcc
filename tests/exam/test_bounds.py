"""What a client controls, bounded: the admission of logins, the paste filter, the pty pump's
back-pressure and the terminal size (without a server; test_server.py has them end to end)."""

from __future__ import annotations

import asyncio
import fcntl
import os
import struct
import termios
import tty

from hypothesis import given
from hypothesis import strategies as st

from vpatient.exam.admission import Admission
from vpatient.exam.pump import (
    INPUT_HIGH,
    MAX_COLUMNS,
    MAX_ROWS,
    PASTE_END,
    PASTE_KEEP,
    PASTE_START,
    InputFilter,
    PtyPump,
    clamp_size,
    set_window_size,
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_failures_count_per_address_and_user_and_age_out() -> None:
    clock = Clock()
    admission = Admission(limit=3, window=60, clock=clock)
    for _ in range(3):
        admission.failed("10.0.0.1", "mallory")
    assert admission.refused("10.0.0.1", "mallory")
    assert not admission.refused("10.0.0.1", "alice")  # the rest of the class
    assert not admission.refused("10.0.0.2", "mallory")
    clock.now += 61
    assert not admission.refused("10.0.0.1", "mallory")


def test_a_login_forgives_its_address() -> None:
    admission = Admission(limit=3, window=60, clock=Clock())
    for _ in range(3):
        admission.failed("10.0.0.1", "bob")
    admission.succeeded("10.0.0.1")
    assert not admission.refused("10.0.0.1", "bob")


def test_an_address_trying_many_names_is_refused_too() -> None:
    admission = Admission(limit=3, window=60, address_limit=10, clock=Clock())
    for i in range(10):
        admission.failed("10.0.0.9", f"name{i}")
    assert admission.refused("10.0.0.9", "somebody-new")


def test_sizes_a_client_can_send_are_clamped() -> None:
    assert clamp_size(80, 24) == (80, 24, False)
    assert clamp_size(10000, 10000) == (MAX_COLUMNS, MAX_ROWS, True)
    assert clamp_size(2**32 - 1, 2**32 - 1) == (MAX_COLUMNS, MAX_ROWS, True)
    assert clamp_size(0, 0) == (80, 24, False)
    master, slave = os.openpty()
    try:
        set_window_size(master, 70000, 70000)  # no struct.error
        rows, cols = struct.unpack("HHHH", fcntl.ioctl(slave, termios.TIOCGWINSZ, b"\0" * 8))[:2]
        assert (cols, rows) == (MAX_COLUMNS, MAX_ROWS)
    finally:
        os.close(master)
        os.close(slave)


def test_keys_and_short_input_pass_untouched() -> None:
    f = InputFilter()
    for keys in (b"l", b"\x1b", b"\x1b[B", b"\r", b"\x1b[<0;10;5M", "é".encode()):
        assert f.feed(keys) == keys


def test_a_bracketed_paste_keeps_its_end_across_any_split() -> None:
    data = PASTE_START + b"y" * 100_000 + PASTE_END + b"m"
    for size in (2, 3, 7, 4096, 32768):  # (a read of a lone ESC is the Escape key)
        f = InputFilter()
        out = b"".join(f.feed(data[i:i + size]) for i in range(0, len(data), size))
        assert out == PASTE_START + b"y" * PASTE_KEEP + PASTE_END + b"m"
        assert not f.in_paste and f.discarded == 100_000 - PASTE_KEEP


def test_a_plain_paste_becomes_a_short_bracketed_one() -> None:
    f = InputFilter()
    out = f.feed(b"yes " * 10_000)
    assert out.startswith(PASTE_START) and out.endswith(PASTE_END)
    assert len(out) == len(PASTE_START) + PASTE_KEEP + len(PASTE_END)


@given(st.lists(st.binary(max_size=2000), max_size=20))
def test_the_filter_never_grows_input_much_and_always_closes_pastes(chunks: list[bytes]) -> None:
    f = InputFilter()
    out = b"".join(f.feed(c) for c in chunks)
    opened, closed = out.count(PASTE_START), out.count(PASTE_END)
    assert closed <= opened <= closed + 1
    assert opened == closed + 1 if f.in_paste else opened == closed
    size = sum(len(c) for c in chunks)
    assert len(out) <= size + (len(PASTE_START) + len(PASTE_END)) * (len(chunks) + 1)


class FakeChannel:
    def __init__(self) -> None:
        self.written = bytearray()
        self.paused = False
        self.pauses = 0

    def write(self, data: bytes) -> None:
        self.written += data

    def pause_reading(self) -> None:
        self.paused = True
        self.pauses += 1

    def resume_reading(self) -> None:
        self.paused = False


async def test_unread_input_holds_the_client_back_and_nothing_is_dropped() -> None:
    """The session does not read: past INPUT_HIGH the channel pauses (SSH flow control stops the
    client); when the session reads again, every byte arrives, in order."""
    master, slave = os.openpty()
    tty.setraw(slave)
    channel = FakeChannel()
    pump = PtyPump(channel, master, on_eof=lambda: None)
    sent = bytearray()
    try:
        chunk = 0
        while not channel.paused:
            data = bytes([97 + chunk % 26]) * 100  # short reads: typed keys, not a paste
            pump.feed(data)
            sent += data
            chunk += 1
            assert chunk < 10_000, "the channel never paused"
        assert len(pump.pending) <= INPUT_HIGH + 100
        received = bytearray()
        os.set_blocking(slave, False)
        for _ in range(2000):
            await asyncio.sleep(0.001)
            try:
                received += os.read(slave, 65536)
            except BlockingIOError:
                if not pump.pending:
                    break
        assert not channel.paused  # resumed once the session caught up
        assert bytes(received) == bytes(sent)
    finally:
        pump.close()
        os.close(slave)
