"""Exams, sittings, bookings, results and psychometrics."""
