"""The signed Wyze services, spoken by the client: one generic call per signing scheme.

A catalog generation names its scheme (``security`` in ``schemas/catalog.yaml``); the
client signs with :mod:`wyzeproto.signing` and sends what it is given, so one method covers
every endpoint of a scheme::

    client.service_call("olive_signature2", "GET", "wyze-earth-service.wyzecam.com",
                        "/plugin/earth/get_iot_prop", query={"did": mac, "keys": "temperature",
                                                             "nonce": nonce()})

- ``olive_signature2`` / ``venus_signature2``: headers ``appid``, ``access_token``,
  ``requestid``, ``signature2`` (and ``authorization`` for olive, as wyzeapy sends it; wyze-sdk's
  venus client does not). The signature covers the sorted query when the request has one
  (GET, and HMS's PATCH: wyzeapy ``_monitoring_profile_active``), else the exact body sent.
- ``ford_sign``: the parameters (query for GET, JSON body otherwise) carry the token
  (``access_token``, or ``accessToken`` in a wyze-sdk POST body), ``key``, ``timestamp`` and
  ``sign``.
- ``bearer``: ``authorization: Bearer <token>`` (webrtc signalling, docker-wyze-bridge).
- ``access_token``: ``authorization: <token>``, unsigned (devicemgmt, wyzeapy).
- none: a plain JSON body (telemetry, firmware); the app envelope services go through
  :meth:`replay.client.WyzeClient.call`.

The caller puts the ``nonce`` (or Ford ``timestamp``) in the parameters; :func:`nonce` makes a
fresh one. An answer whose envelope says error raises :class:`~replay.results.WyzeApiError`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from replay.results import WyzeApiError
from wyzeproto import signing

SIGNED_USER_AGENT = "wyze_android_2.19.14"
FORD_HEADERS = {"appVer": "And-2.19.14", "language": "en_US"}
FORD_TOKEN_NAMES = ("access_token", "accessToken")


def compact_json(body: Any) -> bytes:
    """A JSON body as the public clients send it: compact separators (what a signature2 over
    the body covers)."""
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def nonce() -> str:
    """A fresh nonce (or Ford timestamp): the client's clock in epoch milliseconds."""
    return str(int(time.time() * 1000))


def service_error(answer: Any) -> tuple[Any, str] | None:
    """(code, message) when a signed service's envelope says error, else None: Ford
    ``ErrNo`` other than 0, olive/v4/webrtc ``code`` other than 1, devicemgmt ``status``
    other than 200 (wyzeapy ``check_for_errors_*``)."""
    if not isinstance(answer, dict):
        return None
    if "ErrNo" in answer:
        ok = str(answer["ErrNo"]) == "0"
        return None if ok else (answer["ErrNo"], str(answer.get("ErrMsg", "")))
    if "code" in answer:
        ok = str(answer["code"]) in ("1", "0")
        return None if ok else (answer["code"], str(answer.get("msg",
                                                               answer.get("message", ""))))
    if isinstance(answer.get("status"), int) and answer["status"] != 200:
        return answer["status"], str(answer.get("message", ""))
    return None


class SignedServices:
    """The signed-service half of :class:`replay.client.WyzeClient` (a mixin)."""

    @property
    def access_token(self) -> str:
        raise NotImplementedError  # WyzeClient's

    def _send(self, method: str, host: str, path: str, data: bytes | None,
              headers: Mapping[str, str], query: Mapping[str, object] | None = None
              ) -> requests.Response:
        raise NotImplementedError  # WyzeClient's transport

    def service_call(self, scheme: str | None, method: str, host: str, path: str, *,
                     query: Mapping[str, object] | None = None, body: Any = None) -> Any:
        """Any call of a signed (or plain) service; ``scheme`` is the generation's
        ``security`` in the catalog. Returns the parsed answer; raises ValueError for a
        scheme the client does not speak."""
        calls: dict[str | None, Callable[..., requests.Response]] = {
            "olive_signature2": self._olive, "venus_signature2": self._venus,
            "ford_sign": self._ford, "bearer": self._bearer, "access_token": self._raw_token,
            None: self._plain, "": self._plain,
        }
        if scheme not in calls:
            raise ValueError(f"signing scheme {scheme!r}: the client does not speak it "
                             f"(it speaks {', '.join(sorted(str(k) for k in calls if k))})")
        response = calls[scheme](method.upper(), host, path, query, body)
        return self._service_answer(response, path)

    @staticmethod
    def _service_answer(response: requests.Response, path: str) -> Any:
        try:
            answer = response.json() if response.content else None
        except ValueError:
            raise WyzeApiError(path, None, f"the answer is not JSON ({len(response.content)} "
                               "bytes)", response.status_code) from None
        error = service_error(answer)
        if error is not None:
            raise WyzeApiError(path, error[0], error[1], response.status_code)
        if response.status_code >= 400:
            raise WyzeApiError(path, None, f"HTTP {response.status_code}",
                               response.status_code)
        return answer

    @staticmethod
    def _data(body: Any) -> bytes | None:
        return None if body is None else compact_json(body)

    def _olive(self, method: str, host: str, path: str, query: Mapping[str, object] | None,
               body: Any, app_id: str = signing.OLIVE_APP_ID, authorization: bool = True
               ) -> requests.Response:
        token = self.access_token
        data = self._data(body)
        message = signing.sorted_params(query).encode() if query else (data or b"")
        stamp = (query or {}).get("nonce") or (body.get("nonce") if isinstance(body, dict)
                                               else None) or nonce()
        headers = {"Content-Type": "application/json", "User-Agent": SIGNED_USER_AGENT,
                   "appid": app_id, "access_token": token,
                   "requestid": signing.request_id(str(stamp)),
                   "signature2": signing.signature2(
                       token, message, signing.SECRETS_BY_APP_ID[app_id])}
        if authorization:
            headers["authorization"] = token
        return self._send(method, host, path, data, headers, query)

    def _venus(self, method: str, host: str, path: str, query: Mapping[str, object] | None,
               body: Any) -> requests.Response:
        return self._olive(method, host, path, query, body, signing.VENUS_APP_ID, False)

    def _ford(self, method: str, host: str, path: str, query: Mapping[str, object] | None,
              body: Any) -> requests.Response:
        given = query if method == "GET" else body
        params: dict[str, Any] = dict(given) if isinstance(given, Mapping) else {}
        name = next((n for n in FORD_TOKEN_NAMES if n in params),
                    "access_token" if method == "GET" else "accessToken")
        params[name] = self.access_token
        params["key"] = signing.FORD_APP_KEY
        params.setdefault("timestamp", nonce())
        params.pop("sign", None)
        params["sign"] = signing.ford_sign(method, path, params)
        headers = {"Content-Type": "application/json", **FORD_HEADERS}
        if method == "GET":
            return self._send(method, host, path, None, headers, params)
        return self._send(method, host, path, self._data(params), headers, query)

    def _bearer(self, method: str, host: str, path: str, query: Mapping[str, object] | None,
                body: Any) -> requests.Response:
        headers = {"Content-Type": "application/json",
                   "authorization": signing.bearer(self.access_token)}
        return self._send(method, host, path, self._data(body), headers, query)

    def _raw_token(self, method: str, host: str, path: str,
                   query: Mapping[str, object] | None, body: Any) -> requests.Response:
        headers = {"Content-Type": "application/json", "authorization": self.access_token}
        return self._send(method, host, path, self._data(body), headers, query)

    def _plain(self, method: str, host: str, path: str, query: Mapping[str, object] | None,
               body: Any) -> requests.Response:
        return self._send(method, host, path, self._data(body),
                          {"Content-Type": "application/json"}, query)
