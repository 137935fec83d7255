"""Open data at /data/: anonymised datasets written daily by the worker into files (see docs/open-data.md)."""
