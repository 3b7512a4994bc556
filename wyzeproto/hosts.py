"""Host names as the toolkit compares them: one spelling for every way a request names a host.

A request names its host in its URL, in its Host header, or (HAR, Charles, mitmproxy) as a
host and a port apart; in any case, sometimes with a trailing dot, sometimes with the
scheme's default port written out. The capture filter, the catalog, the replay matcher and
the stand-in all compare hosts, so they all reduce them here, the same way: lower case, no
trailing dot, an IPv6 literal in brackets, the scheme's default port dropped and any other
port kept, because the catalog tells services apart by port (``api.wyzecam.com:8443`` is the
2018 API, ``api.wyzecam.com`` the app API).
"""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_NORMALIZED: dict[tuple[str, str], str] = {}


def split_authority(authority: str) -> tuple[str, int | None]:
    """``(host, port)`` of ``host[:port]``, host in the one spelling; port None if not written.

    Raises ValueError when the port is not a number from 0 to 65535.
    """
    text = authority.strip().rpartition("@")[2].lower()
    if text.startswith("["):
        inside, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise ValueError(f"{authority!r}: an IPv6 literal needs [address] or [address]:port")
        host, port = f"[{inside}]", rest[1:]
    elif text.count(":") > 1:  # a bare IPv6 literal (urlsplit's .hostname drops the brackets)
        host, port = f"[{text}]", ""
    else:
        host, _, port = text.partition(":")
        host = host.rstrip(".")
    if not port:
        return host, None
    if not (port.isascii() and port.isdigit()) or int(port) > 65535:
        raise ValueError(f"{authority!r}: the port {port!r} is not a number from 0 to 65535")
    return host, int(port)


def join_authority(host: str, port: int | None, scheme: str = "https") -> str:
    """``host[:port]`` for a URL or a match key: the port left out if it is the default."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS.get(scheme):
        return host
    return f"{host}:{port}"


def normalize_host(authority: str, scheme: str = "https") -> str:
    """The one spelling of ``host[:port]``: ``API.WyzeCam.com.:443`` -> ``api.wyzecam.com``."""
    cached = _NORMALIZED.get((authority, scheme))
    if cached is not None:
        return cached
    try:
        name = join_authority(*split_authority(authority), scheme)
    except ValueError:  # not host[:port]; compare it as written, still case-insensitively
        name = authority.strip().lower()
    if len(_NORMALIZED) < 4096:  # the matcher calls this per request; hosts are few
        _NORMALIZED[(authority, scheme)] = name
    return name


def url_host(url: str) -> tuple[str, int | None]:
    """``(host, port)`` a URL goes to; the port is the scheme's default when not written.

    Raises ValueError when the port is not a number from 0 to 65535.
    """
    parts = urlsplit(url)
    host, port = split_authority(parts.netloc)
    return host, DEFAULT_PORTS.get(parts.scheme or "https") if port is None else port
