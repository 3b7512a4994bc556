"""A typed client for the Wyze cloud API: logins, MFA, refresh, devices, every signed service.

Requests are built from the protocol facts (``../shared/reference/wyze-protocol-facts.md``
sections 2-4 and 11), sent through a :class:`requests.Session`, and their answers turned into
the dataclasses of :mod:`replay.results`; an error answer raises
:class:`~replay.results.WyzeApiError` with the API's own code and message.

Point it anywhere with ``base_url`` (every host) or ``hosts`` (one base URL per Wyze host)::

    client = WyzeClient(base_url="http://127.0.0.1:8080")
    client.login("me@example.com", "secret", key_id="...", api_key="...")
    for device in client.get_object_list().devices: ...

The signed services (olive/venus ``signature2``, Ford ``sign``, Bearer, devicemgmt) go
through one generic call per signing scheme, :meth:`service_call` (:mod:`replay.signed`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import requests

from replay.results import (
    Device,
    LoginResult,
    MfaChallenge,
    ObjectList,
    Property,
    Tokens,
    WyzeApiError,
)
from replay.signed import SignedServices, compact_json
from wyzeproto.envelope import APP_2018, WYZE_SDK, AppIdentity
from wyzeproto.passwords import double_md5, triple_md5

API_HOST = "api.wyzecam.com"
API_2018_HOST = "api.wyzecam.com:8443"
AUTH_HOST = "auth-prod.api.wyze.com"
IOS_APP_API_KEY = "WMXHYf79Nr5gIlt3r0r7p9Tcw5bvs6BB4U8O8nGJ"
ANDROID_USER_AGENT = "wyze_android_2.19.14"


def _password(password: str | None, password_hash: str | None, hasher: Any) -> str:
    if password_hash is not None:
        return password_hash
    if password is None:
        raise ValueError("login: give password= (plain text) or password_hash= (already hashed)")
    return str(hasher(password))


class WyzeClient(SignedServices):
    """One signed-in (or signing-in) user of the Wyze cloud; the signed services through
    :meth:`~replay.signed.SignedServices.service_call`."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        hosts: Mapping[str, str] | None = None,
        session: requests.Session | None = None,
        identity: AppIdentity = WYZE_SDK,
        phone_id: str | None = None,
        tokens: Tokens | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.base_url = base_url.rstrip("/") if base_url else None
        self.hosts = {h: u.rstrip("/") for h, u in (hosts or {}).items()}
        self.session = session or requests.Session()
        self.identity = identity
        self.phone_id = phone_id or str(uuid.uuid4())
        self.tokens = tokens
        self.timeout = timeout

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> WyzeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # transport ---------------------------------------------------------------------------

    def _post(
        self,
        host: str,
        path: str,
        body: Any,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
    ) -> requests.Response:
        sent = {"Content-Type": "application/json;charset=utf-8"}
        if self.identity.user_agent:
            sent["User-Agent"] = self.identity.user_agent
        sent.update(headers or {})
        return self._send("POST", host, path, compact_json(body), sent, query)

    def _send(
        self,
        method: str,
        host: str,
        path: str,
        data: bytes | None,
        headers: Mapping[str, str],
        query: Mapping[str, object] | None = None,
    ) -> requests.Response:
        """One request to ``host`` (or the local server standing in for it), as given."""
        base = self.hosts.get(host) or self.base_url
        url = f"{base}{path}" if base else f"https://{host}{path}"
        if query:
            url += "?" + urlencode(query)
        sent = dict(headers)
        if base:  # a local server learns which Wyze host was meant
            sent["Host"] = host
        return self.session.request(method, url, data=data, headers=sent,
                                    timeout=self.timeout)

    @staticmethod
    def _json(response: requests.Response, endpoint: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise WyzeApiError(
                endpoint, None, f"the answer is not JSON ({len(response.content)} bytes)",
                response.status_code,
            ) from None

    def _app_call(self, path: str, body: dict[str, Any], host: str = API_HOST) -> Any:
        response = self._post(host, path, body)
        answer = self._json(response, path)
        if not isinstance(answer, dict) or "code" not in answer:
            said = answer.get("error") if isinstance(answer, dict) else None
            raise WyzeApiError(path, None, str(said or "the answer has no 'code'"),
                               response.status_code)
        if str(answer["code"]) not in ("1", "0"):
            raise WyzeApiError(path, answer["code"], str(answer.get("msg", "")),
                               response.status_code)
        return answer.get("data")

    def _auth_call(
        self, path: str, body: dict[str, Any], headers: Mapping[str, str] | None,
        query: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        response = self._post(AUTH_HOST, path, body, headers, query)
        answer = self._json(response, path)
        if not isinstance(answer, dict):
            raise WyzeApiError(path, None, "the answer is not a JSON object", response.status_code)
        if response.status_code != 200 or answer.get("errorCode") not in (None, 0):
            raise WyzeApiError(path, answer.get("errorCode"),
                               str(answer.get("description", "")), response.status_code)
        return answer

    def _login_result(self, answer: dict[str, Any]) -> LoginResult:
        if not answer.get("access_token") and answer.get("mfa_options"):
            return MfaChallenge.from_json(answer)
        self.tokens = Tokens(str(answer.get("access_token", "")),
                             str(answer.get("refresh_token", "")), answer.get("user_id"), answer)
        return self.tokens

    def _envelope(self, path: str, with_token: bool = True) -> dict[str, Any]:
        token = self.access_token if with_token else None
        return self.identity.envelope(path, token, self.phone_id)

    @property
    def access_token(self) -> str:
        if self.tokens is None:
            raise RuntimeError("WyzeClient: not logged in; call a login method first")
        return self.tokens.access_token

    # logins ------------------------------------------------------------------------------

    def login(
        self, email: str, password: str | None = None, *, key_id: str, api_key: str,
        password_hash: str | None = None, nonce: str | None = None,
    ) -> LoginResult:
        """``/api/user/login`` with the user's developer key pair (``keyid``/``apikey``)."""
        body: dict[str, Any] = {"email": email,
                                "password": _password(password, password_hash, triple_md5)}
        if nonce is not None:  # wyze-sdk sends one; the server ignores it
            body = {"nonce": nonce, **body}
        return self._login_result(self._auth_call(
            "/api/user/login", body, {"Keyid": key_id, "Apikey": api_key}))

    def login_with_app_key(
        self, email: str, password: str | None = None, *, password_hash: str | None = None,
        app_api_key: str = IOS_APP_API_KEY, path: str = "/user/login",
    ) -> LoginResult:
        """``/user/login`` (or ``/v2/user/login``) with the app's own ``X-API-Key``."""
        body = {"email": email, "password": _password(password, password_hash, triple_md5)}
        return self._login_result(self._auth_call(path, body, self._app_key_headers(app_api_key)))

    def _app_key_headers(self, app_api_key: str) -> dict[str, str]:
        return {"X-API-Key": app_api_key, "Phone-Id": self.phone_id,
                "User-Agent": ANDROID_USER_AGENT}

    def verify_mfa(
        self, email: str, password: str | None = None, *, mfa_type: str,
        verification_id: str, verification_code: str, password_hash: str | None = None,
        app_api_key: str = IOS_APP_API_KEY,
    ) -> Tokens:
        """The MFA second step: ``/user/login`` with the code and its ``verification_id``."""
        body = {"email": email, "password": _password(password, password_hash, triple_md5),
                "mfa_type": mfa_type, "verification_id": verification_id,
                "verification_code": verification_code}
        result = self._login_result(
            self._auth_call("/user/login", body, self._app_key_headers(app_api_key)))
        if isinstance(result, MfaChallenge):
            raise WyzeApiError("/user/login", None, "the MFA step was answered with another "
                               "MFA challenge; check mfa_type and verification_id")
        return result

    def send_sms_code(self, challenge: MfaChallenge) -> str:
        """Ask for an SMS code; returns the ``session_id`` to use as ``verification_id``."""
        query = {"mfaPhoneType": "Primary", "sessionId": challenge.sms_session_id or "",
                 "userId": challenge.user_id or ""}
        answer = self._auth_call("/user/login/sendSmsCode", {}, None, query)
        return str(answer.get("session_id", ""))

    def send_email_code(self, challenge: MfaChallenge) -> str:
        """Ask for an email code; returns the ``session_id`` to use as ``verification_id``."""
        query = {"userId": challenge.user_id or "", "sessionId": challenge.email_session_id or ""}
        answer = self._auth_call("/v2/user/login/sendEmailCode", {}, None, query)
        return str(answer.get("session_id", ""))

    def login_2018(
        self, email: str, password: str | None = None, *, password_hash: str | None = None,
        identity: AppIdentity = APP_2018, host: str = API_2018_HOST,
        extra: Mapping[str, Any] | None = None,
    ) -> Tokens:
        """The 2018 ``/app/user/login``: envelope with ``access_token ""`` and double MD5."""
        path = "/app/user/login"
        body = identity.envelope(path, "", self.phone_id)
        body.update(user_name=email, password=_password(password, password_hash, double_md5))
        body.update(extra or {})
        data = self._app_call(path, body, host) or {}
        self.tokens = Tokens(str(data.get("access_token", "")),
                             str(data.get("refresh_token", "")),
                             data.get("user_center_id"), data)
        return self.tokens

    def refresh(self, refresh_token: str | None = None, *, include_access_token: bool = True,
                host: str = API_HOST) -> Tokens:
        """``/app/user/refresh_token``; wyze-sdk also sends the old access token, wyzeapy not."""
        path = "/app/user/refresh_token"
        token = refresh_token or (self.tokens.refresh_token if self.tokens else None)
        if not token:
            raise RuntimeError("WyzeClient.refresh: no refresh_token; log in first")
        body = self._envelope(path, with_token=include_access_token and self.tokens is not None)
        body["refresh_token"] = token
        data = self._app_call(path, body, host) or {}
        user_id = self.tokens.user_id if self.tokens else None
        self.tokens = Tokens(str(data.get("access_token", "")),
                             str(data.get("refresh_token", "")), user_id, data)
        return self.tokens

    # devices -----------------------------------------------------------------------------

    def call(self, path: str, fields: Mapping[str, Any] | None = None, *,
             host: str = API_HOST) -> Any:
        """Any app-API call: the envelope plus ``fields``; returns the answer's ``data``."""
        body = self._envelope(path)
        body.update(fields or {})
        return self._app_call(path, body, host)

    def get_object_list(self) -> ObjectList:
        data = self.call("/app/v2/home_page/get_object_list") or {}
        devices = tuple(Device.from_json(d) for d in data.get("device_list") or ())
        return ObjectList(devices, tuple(data.get("device_group_list") or ()), data)

    def get_property_list(
        self, device_mac: str, device_model: str, target_pid_list: Sequence[str] = ()
    ) -> list[Property]:
        data = self.call("/app/v2/device/get_property_list", {
            "device_mac": device_mac, "device_model": device_model,
            "target_pid_list": list(target_pid_list)}) or {}
        return [Property.from_json(p) for p in data.get("property_list") or ()]
