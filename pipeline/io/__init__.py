"""Input/output around extraction: batch runs, streaming, JSONL export, tables, schema."""
