"""Gather: read and validate the sources of a paper into typed models (the one door in)."""
