"""Pathways, applications, review, credentials and the public register."""
