"""Operations: Prometheus metrics (/metrics) and the request-latency middleware. Reads other apps'
tables (outbox, reports, counters, heartbeats); no models of its own (docs/deploy.md, Metrics)."""
