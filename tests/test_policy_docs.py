"""captures/README.md shows the redaction policy that the code applies."""

from __future__ import annotations

from pathlib import Path

from wyzeproto.redact.policy import policy_table

ROOT = Path(__file__).resolve().parent.parent


def test_the_policy_table_in_captures_readme_matches_the_code() -> None:
    readme = (ROOT / "captures" / "README.md").read_text()
    assert policy_table() in readme, (
        "captures/README.md is out of date: paste the output of "
        "`python -c 'from wyzeproto.redact.policy import policy_table; print(policy_table())'`"
    )
