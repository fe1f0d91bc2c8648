"""The small INDICATOR model: runtime (numpy inference), training (spaCy), weights."""
