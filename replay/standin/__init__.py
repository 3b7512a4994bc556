"""A local, stateful stand-in for the Wyze cloud, for demos and tests (loopback only)."""

from replay.standin.cloud import Cloud
from replay.standin.hashing import double_md5, totp, triple_md5
from replay.standin.server import StandIn
from replay.standin.state import DEFAULT_STATE_PATH, CloudState, StateError

__all__ = ["DEFAULT_STATE_PATH", "Cloud", "CloudState", "StandIn", "StateError", "double_md5",
           "totp", "triple_md5"]
