"""Text stages: bytes to text (ingest), the working text and its offset map (normalize,
offsets), sentences and words (segment)."""
