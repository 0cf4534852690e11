"""Reads that pages and the API share (writes live in accreditation.services)."""
