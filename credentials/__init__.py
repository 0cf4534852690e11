"""Credentials once awarded: their types, serials, statuses, certificates, Open Badges, the public
register, verification and watch lists. Accreditation and exams award them through the one door,
`credentials/api.py`."""
