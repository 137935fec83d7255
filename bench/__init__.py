"""Benchmarks: `make bench` (python -m bench.run); figures go to bench/RESULTS.md."""
