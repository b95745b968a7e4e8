"""Scoring extraction against human annotation: the seed gold file and research corpora."""
