"""Clinicians, competency frameworks, evidence and coverage (issue 3)."""
