"""The demo city's reports: their generated history, texts and pictures, the authors' ratings and fresh
work for the demo staff."""
