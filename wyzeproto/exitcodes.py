"""Exit codes shared by every command-line tool of the toolkit."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    OK = 0  # everything checked and nothing found
    FINDINGS = 1  # the input was read, and something is wrong with it (or a mismatch)
    UNUSABLE = 2  # the input could not be used: missing file, broken YAML, not a cassette
    INTERRUPTED = 130  # Ctrl-C
