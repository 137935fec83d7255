"""Demand assessment (issue 13, item 4): daily counters of how the city's e-services are used, with no
cookie and nothing that identifies a person stored (docs/demand.md)."""
