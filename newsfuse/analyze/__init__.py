"""Cross-source analysis of one story."""
