"""Reads of the back office. `desk`: who is at the desk and what they may see; `queues`: the queues as
QuerySets; `pages` and `report`: what each page shows, as plain data; `history`: a report's history
in words."""
