"""Residents' district news (Creative Citizens): stories that signed-in residents write about their
district, with photos, published after moderation (docs/stories.md)."""
