"""What the app keeps locally: the DuckDB cache of every tab, and the audit trail's reading and writing."""
