"""Displacement Monitor."""
