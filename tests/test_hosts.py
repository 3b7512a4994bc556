"""One spelling per host: every way a request can name a host reduces to the same one, and
the capture filter, the catalog, the matcher and the stand-in all use it."""

from __future__ import annotations

import pytest

from standin.cloud import APP_HOST, Cloud
from standin.scenarios import default_state_dict
from standin.state import load_state
from wyzeproto.capture.recorder import HostFilter
from wyzeproto.hosts import join_authority, normalize_host, split_authority, url_host
from wyzeproto.match.fields import view
from wyzeproto.schema.catalog import load_catalog


@pytest.mark.parametrize(("written", "one_spelling"), [
    ("API.WyzeCam.com", "api.wyzecam.com"),
    ("api.wyzecam.com:443", "api.wyzecam.com"),
    ("api.wyzecam.com.", "api.wyzecam.com"),
    ("API.wyzecam.com.:443", "api.wyzecam.com"),
    (" api.wyzecam.com ", "api.wyzecam.com"),
    ("api.wyzecam.com:8443", "api.wyzecam.com:8443"),  # the 2018 API: a different service
    ("[::1]:443", "[::1]"),
    ("[::1]:8443", "[::1]:8443"),
    ("::1", "[::1]"),  # urlsplit's .hostname drops the brackets
    ("[2001:DB8::1]", "[2001:db8::1]"),
    ("127.0.0.1:8080", "127.0.0.1:8080"),
])
def test_every_spelling_of_a_host_reduces_to_one(written: str, one_spelling: str) -> None:
    assert normalize_host(written) == one_spelling


def test_the_default_port_depends_on_the_scheme() -> None:
    assert normalize_host("api.wyzecam.com:80", "http") == "api.wyzecam.com"
    assert normalize_host("api.wyzecam.com:80", "https") == "api.wyzecam.com:80"
    assert normalize_host("api.wyzecam.com:443", "http") == "api.wyzecam.com:443"


def test_a_port_that_is_not_a_number_is_an_error_naming_it() -> None:
    for bad in ("api.wyzecam.com:http", "api.wyzecam.com:99999", "[::1"):
        with pytest.raises(ValueError, match="api.wyzecam.com|IPv6"):
            split_authority(bad)
    assert normalize_host("API.wyzecam.com:http") == "api.wyzecam.com:http"  # compared as is


def test_a_url_goes_to_its_host_on_the_schemes_default_port_unless_it_names_one() -> None:
    assert url_host("https://API.WyzeCam.com/app/user/login") == ("api.wyzecam.com", 443)
    assert url_host("http://api.wyzecam.com/") == ("api.wyzecam.com", 80)
    assert url_host("https://api.wyzecam.com.:8443/") == ("api.wyzecam.com", 8443)
    assert url_host("http://[::1]:8080/x") == ("[::1]", 8080)


def test_join_leaves_out_only_the_default_port_and_brackets_ipv6() -> None:
    assert join_authority("api.wyzecam.com", 443, "https") == "api.wyzecam.com"
    assert join_authority("api.wyzecam.com", 8443, "https") == "api.wyzecam.com:8443"
    assert join_authority("api.wyzecam.com", None) == "api.wyzecam.com"
    assert join_authority("::1", 8080, "http") == "[::1]:8080"


URLS = ["https://API.WyzeCam.com/app/user/refresh_token",
        "https://api.wyzecam.com.:443/app/user/refresh_token",
        "https://api.wyzecam.com/app/user/refresh_token"]


def test_capture_catalog_and_matcher_agree_on_every_spelling() -> None:
    catalog = load_catalog()
    hosts = HostFilter(["api.wyzecam.com:443"])
    assert {catalog.match("POST", u).id for u in URLS} == {"app-api.user.refresh_token"}
    assert {view("POST", u, None).host for u in URLS} == {"api.wyzecam.com"}
    assert all(hosts.matches(*url_host(u)) for u in URLS)
    old = "https://API.wyzecam.com.:8443/app/user/refresh_token"
    assert catalog.match("POST", old).id == "api-2018.user.refresh_token"
    assert view("POST", old, None).host == "api.wyzecam.com:8443"
    assert not hosts.matches(*url_host(old))


def test_the_stand_in_routes_a_host_header_in_any_spelling() -> None:
    cloud = Cloud(load_state(default_state_dict()))
    for header in ("API.WyzeCam.com", "api.wyzecam.com:443", "api.wyzecam.com.",
                   "api.wyzecam.com:8443"):
        assert cloud.resolve(header, "/app/user/login")[0] == APP_HOST
