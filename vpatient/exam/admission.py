"""Who may try to log in: failed connections counted fairly, so that a class behind one NAT
address is never turned away for what one student's SSH client does.

- A connection that ends without logging in is one failure, however many keys its client
  offered first (OpenSSH offers every key in ``~/.ssh`` in turn: the wrong ones are not
  failures when a right one follows).
- Failures are counted per (address, user name) in a sliding window; over ``limit``, that user
  from that address is turned away until old failures age out. One address can also not fail
  more than ``address_limit`` times in the window, whatever names it tries.
- A successful login forgives its address: everything counted against it is dropped.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

DEFAULT_LIMIT = 20
DEFAULT_WINDOW = 60.0
ADDRESS_LIMIT_FACTOR = 10  # failures from one address, all names together, before it is refused


class Admission:
    def __init__(self, limit: int = DEFAULT_LIMIT, window: float = DEFAULT_WINDOW, *,
                 address_limit: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.address_limit = address_limit if address_limit is not None else \
            limit * ADDRESS_LIMIT_FACTOR
        self.clock = clock
        self.failures: dict[tuple[str, str], deque[float]] = {}
        self.by_address: dict[str, deque[float]] = {}

    def _recent(self, table: dict, key) -> int:
        times = table.get(key)
        if times is None:
            return 0
        cutoff = self.clock() - self.window
        while times and times[0] < cutoff:
            times.popleft()
        if not times:
            del table[key]
            return 0
        return len(times)

    def refused(self, address: str, user: str) -> bool:
        """Too many recent failures for this user from this address, or from the address."""
        return (self._recent(self.failures, (address, user)) >= self.limit
                or self._recent(self.by_address, address) >= self.address_limit)

    def failed(self, address: str, user: str) -> None:
        """One connection from ``address`` ended without logging in (as ``user``, or "" if it
        never said)."""
        now = self.clock()
        self._recent(self.failures, (address, user))
        self._recent(self.by_address, address)
        self.failures.setdefault((address, user), deque()).append(now)
        self.by_address.setdefault(address, deque()).append(now)

    def succeeded(self, address: str) -> None:
        """A login from ``address``: its failures are forgiven."""
        self.by_address.pop(address, None)
        for key in [k for k in self.failures if k[0] == address]:
            del self.failures[key]
