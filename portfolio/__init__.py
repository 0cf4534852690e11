"""Clinicians' profiles and registrations, competency frameworks, evidence with its files and
peer confirmations, coverage and the portfolio export."""
