"""Formats around extraction: JSONL export and schema, tables (CSV, Parquet, SQLite), the --meta CSV."""
