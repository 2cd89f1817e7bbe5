"""Errors that say what to do, and the mark of the transient ones a retry can cure."""


class TransientError(RuntimeError):
    """A failure that waiting can cure (a lock held a little too long, a service's 503): retried by the
    asset with backoff; anything else fails the step at once with its own message."""
