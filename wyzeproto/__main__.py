"""``python -m wyzeproto``: the same as the ``wyze-toolkit`` command."""

from wyzeproto.cli.main import main

main()
