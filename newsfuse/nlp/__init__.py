"""Linguistic features: sentences, lemmas, named entities and term vectors."""
