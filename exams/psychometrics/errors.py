"""The one error the psychometrics code raises for input it cannot use."""


class PsychometricsInputError(ValueError):
    """Input that cannot be analysed; the message is one line, fit to show a person."""
