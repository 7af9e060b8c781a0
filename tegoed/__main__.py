"""The `tegoed` command: Django's management commands under one name.

`tegoed migrate`, `tegoed runserver`, `tegoed import-invoices FILE --organization SLUG`; a
command may be written with dashes or underscores.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["match"]:
        # Checking a statement file needs no database: skip starting Django.
        from tegoed.banking import match_cli

        match_cli.program(sys.argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tegoed.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "tegoed"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
