"""Errors the domain core raises for values it cannot accept."""


class DomainError(ValueError):
    """A value or request that breaks a business rule; the message is shown to the user."""


class CurrencyMismatch(DomainError):
    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"cannot combine amounts in {left} and {right}")
