"""Context of a claim: kind (actual / target / forecast), period, section and subject."""
