"""Structured payment references: ISO 11649 RF references and the Dutch betalingskenmerk.

Sources:
- ISO 11649:2009 (structured creditor reference): "RF", two check digits, up to 21 letters or
  digits; the check is ISO 7064 MOD 97-10 over the body followed by "RF00" (python-stdnum's
  `iso11649`).
- Betaalvereniging Nederland, "Betalingskenmerk" (the old acceptgiro reference, carried as
  `CdtrRefInf/Tp/Issr = CUR`): 16 digits = a check digit followed by 15 digits; 9–14 digits =
  a check digit, a length code (7, 8, 9, 0, 1, 2 for 7–12 following digits) and the digits;
  7 digits without a check digit. The check digit is a weighted modulus 11 with weights
  2, 4, 8, 5, 10, 9, 7, 3, 6, 1 (repeating, counted from the right), C = 11 − (sum mod 11),
  10 → 1 and 11 → 0. Verified on the specification's examples 5000056789012345 and
  12 2345 3462 2567 (formats.md §2).

Check digits are what make a structured reference trustworthy: a typing error is caught, so a
valid reference that names an open invoice identifies it.

>>> kenmerk_is_valid("5000 0567 8901 2345")
True
>>> normalize("rf18 5390 0754 7034")
'RF18539007547034'
>>> find_in_text("Betaling RF18 5390 0754 7034 dank")
('RF18539007547034',)
"""

from __future__ import annotations

import re

_KENMERK_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
_LENGTH_CODES = {7: 9, 8: 10, 9: 11, 0: 12, 1: 13, 2: 14}
_RF_FORM = re.compile(r"RF[0-9]{2}[A-Z0-9]{1,21}")
_BASE36 = {char: str(int(char, 36)) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_SEPARATORS = re.compile(r"[\s.\-]")
_SEPARATORS_NOT_NEWLINE = re.compile(r"[^\S\n]|[.\-]")
# An RF reference as people write it: in groups of four, or in one run.
_RF_IN_TEXT = re.compile(r"(?<![A-Z0-9])RF\s?\d{2}(?:\s?[A-Z0-9]){1,21}(?![A-Z0-9])")
# Sixteen digits, possibly written in groups of four (the acceptgiro layout).
_KENMERK_IN_TEXT = re.compile(r"(?<!\d)\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4}(?!\d)")


def kenmerk_check_digit(body: str) -> int:
    """The check digit of the digits that follow it (weights counted from the right)."""
    total = sum(
        int(digit) * _KENMERK_WEIGHTS[index % 10] for index, digit in enumerate(reversed(body))
    )
    check = 11 - total % 11
    return {10: 1, 11: 0}.get(check, check)


def kenmerk_is_valid(value: str) -> bool:
    compact = _SEPARATORS.sub("", value)
    if not compact.isdigit():
        return False
    length = len(compact)
    if length == 7:
        return True
    if length == 16:
        return int(compact[0]) == kenmerk_check_digit(compact[1:])
    if 9 <= length <= 14:
        return _LENGTH_CODES.get(int(compact[1])) == length and int(
            compact[0]
        ) == kenmerk_check_digit(compact[1:])
    return False


def make_kenmerk(number: int) -> str:
    """A 16-digit betalingskenmerk for a number of at most 15 digits."""
    body = f"{number:015d}"
    if len(body) != 15:
        raise ValueError(f"{number} has more than 15 digits")
    return f"{kenmerk_check_digit(body)}{body}"


def rf_is_valid(value: str) -> bool:
    """ISO 11649: "RF", two check digits and 1–21 letters or digits; the body followed by
    "RF" and the check digits, letters as 10–35, is 1 modulo 97 (as `stdnum.iso11649`)."""
    compact = value.upper()
    if not _RF_FORM.fullmatch(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(_BASE36[char] for char in rearranged)) % 97 == 1


def normalize(value: str) -> str:
    """The compact form used as a lookup key: upper case, no spaces, dots or dashes."""
    return _SEPARATORS.sub("", value).upper()


def normalize_all(values: list[str]) -> list[str]:
    """`normalize` of many references in one pass (newlines never occur in a reference)."""
    if not values:
        return []
    return _SEPARATORS_NOT_NEWLINE.sub("", "\n".join(values).upper()).split("\n")


def is_valid(value: str) -> bool:
    """True for a valid RF reference or a valid (check-digit-bearing) betalingskenmerk."""
    compact = normalize(value)
    if compact.startswith("RF"):
        return rf_is_valid(compact)
    # A 7-digit kenmerk has no check digit: it proves nothing on its own.
    return len(compact) != 7 and kenmerk_is_valid(compact)


def find_in_text(text: str, *, checked: bool = True) -> tuple[str, ...]:
    """Valid RF references and 16-digit betalingskenmerken written in free text, in order.

    Only references whose check digits are right are returned, so a date or an amount that
    happens to have the right length is not taken for a reference. With `checked=False`
    everything shaped like one is returned (to look up among known references: a creditor
    whose references carry no valid check digit is still found by an exact match).
    """
    found: list[str] = []
    upper = text.upper()
    for match in _RF_IN_TEXT.finditer(upper):
        written = match.group()
        # A reference written in groups may run into an unrelated word ("RF18 5390 DANK"):
        # the whole run and each run of groups is a candidate, longest first.
        ends = [len(written)] + [index for index in range(len(written) - 1, 4, -1)
                                 if written[index] == " "]  # fmt: skip
        for end in ends:
            candidate = normalize(written[:end])
            if (
                len(candidate) >= 5
                and candidate not in found
                and (not checked or rf_is_valid(candidate))
            ):
                found.append(candidate)
    for match in _KENMERK_IN_TEXT.finditer(upper):
        candidate = normalize(match.group())
        if (not checked or kenmerk_is_valid(candidate)) and candidate not in found:
            found.append(candidate)
    return tuple(found)
