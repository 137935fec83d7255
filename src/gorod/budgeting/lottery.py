"""The commission draw, reproducible by anyone from the published seed and candidate list.

Algorithm (also in docs/budgeting.md; a self-contained copy of `draw` runs with only Python's hashlib):

1. Sort the candidates' tickets as strings (Python's default order of str, i.e. by code point).
2. A stream of random bytes: SHA-256(seed_utf8 || counter), counter = 0, 1, 2, … as 8 bytes big-endian,
   each digest 32 bytes, concatenated.
3. Fisher–Yates from the end: for i = n-1 down to 1, take 8 bytes of the stream as a big-endian integer r;
   with limit = 2**64 - (2**64 mod (i+1)), draw again while r >= limit (no modulo bias); j = r mod (i+1);
   swap positions i and j.
4. The first `seats` of the shuffled list are members, the next `reserves` are reserves, in order.

The city publishes SHA-256(seed) and SHA-256 of the candidate list (tickets joined by newlines) before the
draw, then the seed: anyone checks both hashes and reruns steps 1-4."""

from __future__ import annotations

import hashlib
import secrets


class _Stream:
    def __init__(self, seed: str) -> None:
        self.seed = seed.encode()
        self.counter = 0
        self.buffer = b""

    def take(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self.buffer += hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def below(self, bound: int) -> int:
        """A uniform integer in [0, bound)."""
        limit = 2**64 - (2**64 % bound)
        while True:
            r = int.from_bytes(self.take(8), "big")
            if r < limit:
                return r % bound


def shuffle(tickets: list[str], seed: str) -> list[str]:
    order = sorted(tickets)
    stream = _Stream(seed)
    for i in range(len(order) - 1, 0, -1):
        j = stream.below(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def draw(tickets: list[str], seed: str, seats: int, reserves: int) -> tuple[list[str], list[str]]:
    """(members, reserves) in the order drawn."""
    order = shuffle(tickets, seed)
    return order[:seats], order[seats : seats + reserves]


def new_seed() -> str:
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def candidates_hash(tickets: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(tickets)).encode()).hexdigest()
