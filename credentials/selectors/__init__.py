"""Reads that pages and the API share (writes live in credentials.services)."""
