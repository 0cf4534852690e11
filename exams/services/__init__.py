"""Every state change of the exams app is one function here: guarded, atomic, row-locked,
audited. Views and commands call these; nothing else writes a status."""
