"""A local, stateful stand-in for the Wyze cloud, for demos and tests (loopback only)."""

from standin.cloud import Cloud
from standin.server import StandIn
from standin.state import DEFAULT_STATE_PATH, CloudState, StateError
from standin.tokens import double_md5, totp, triple_md5

__all__ = ["DEFAULT_STATE_PATH", "Cloud", "CloudState", "StandIn", "StateError", "double_md5",
           "totp", "triple_md5"]
