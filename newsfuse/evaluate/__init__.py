"""Evaluation against gold labels on real data."""
