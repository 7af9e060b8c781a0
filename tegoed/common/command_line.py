"""What the `tegoed` commands share when they read their options."""

import argparse
from datetime import date


def iso_date(text: str) -> date:
    """An argparse type: a day written YYYY-MM-DD, or a clear error naming the text."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
