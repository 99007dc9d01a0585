"""Errors a person can act on: what went wrong (with the file, key or step) and what to do."""


class WorkerError(Exception):
    def __init__(self, message, hint=None, code="worker"):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code
