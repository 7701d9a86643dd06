"""Extractive, cited multi-document digests."""
