"""Linking: which indicator each figure measures (named strategies tried in order)."""
