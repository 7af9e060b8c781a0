"""The settings the test suite runs with: production's, over plain HTTP with a test key.

The suite runs with DEBUG off, as production does, so that it tests what runs there; the test
client speaks plain HTTP, and the key only signs the suite's own sessions.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-" + "t" * 50)
os.environ.setdefault("TEGOED_HTTPS", "false")

from tegoed.settings import *  # noqa: F403

# Passwords are hashed fast: the suite signs in often, and no password here is real.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
