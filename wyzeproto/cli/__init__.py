"""The `wyze-toolkit` command."""
