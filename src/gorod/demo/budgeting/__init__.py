"""The demo city's participatory budgeting: two processes and the priorities game."""
