"""Where the real Pabulib elections used by the tests live (tests/data/pabulib, copied from the shared
data so a clean clone anywhere has them)."""

from pathlib import Path

PABULIB_DIR = Path(__file__).resolve().parent / "data" / "pabulib"
