"""Worked signing examples for docs/api.md, one per signing style, with made-up inputs.

The numbers were computed by restating the algorithms of the public clients (wyze-sdk
``service/base.py``, ``signature/__init__.py``, ``service/ford_service.py``; wyzeapy
``crypto.py``, ``payload_factory.py``); tests/test_docs.py recomputes each one with the
clients' own functions, so a wrong number here fails the suite. The secrets are the ones those
clients publish; the access token is a redaction placeholder, not a real token.
"""

from __future__ import annotations

TOKEN = "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"
NONCE = "1700000000000"
OLIVE_SECRET = "wyze_app_secret_key_132"  # wyze-sdk WYZE_SALTS, wyzeapy OLIVE_SIGNING_SECRET
VENUS_SECRET = "CVCSNoa0ALsNEpgKls6ybVTVOmGzFoiq"  # wyze-sdk WYZE_SALTS["venp_4c30f812828de875"]
FORD_SECRET = "4deekof1ba311c5c33a9cb8e12787e8c"  # wyze-sdk WYZE_FORD_APP_SECRET
FORD_KEY = "275965684684dbdaf29a0ed9"

# name -> (inputs, result); tests/test_docs.py recomputes each result.
VECTORS: dict[str, dict[str, str]] = {
    "olive_key": {"access_token": TOKEN, "secret": OLIVE_SECRET,
                  "result": "ffe1eb00a1850b062a66ed5c27292093"},
    "olive_get": {"message": f"did=0000A1B2C3D4&keys=temperature&nonce={NONCE}",
                  "result": "672c0a2861d2019ccbc2c67917a8a821"},
    "olive_post": {"message": '{"did":"0000A1B2C3D4","props":{"heat_sp":"68"},"nonce":"'
                              + NONCE + '"}',
                   "result": "8c7cec2576a67ac25d1f993988e0772a"},
    "venus_key": {"access_token": TOKEN, "secret": VENUS_SECRET,
                  "result": "4443e060f6c43a5c471d6a65ebc70c7e"},
    "venus_get": {"message": f"did=JA_RO2_0000A1B2C3D4&nonce={NONCE}",
                  "result": "47c05410b65114a70c6e42a80f1fe114"},
    "ford_get": {"method": "get", "path": "/openapi/lock/v1/info",
                 "params": f"access_token={TOKEN}&key={FORD_KEY}&timestamp={NONCE}"
                           "&uuid=000000001a2b3c4d5e6f7a8b9c0d1e2f",
                 "result": "415390364db8f80aa4d740ebbe62ad49"},
    "requestid": {"nonce": NONCE, "result": "474ecf29d67d8a9adc6d1e24393fc616"},
}


def _olive(key: str, get: str, post: str, appid: str, secret_name: str) -> list[str]:
    v = VECTORS
    return [
        "**Worked example** (made-up token, the clients' published secret):", "",
        f"1. key = md5hex(access_token + {secret_name}) = md5hex(`{TOKEN}` + "
        f"`{v[key]['secret']}`) = `{v[key]['result']}`",
        f"2. GET: message = the query sorted by name, `k=v` joined by `&`, nonce included: "
        f"`{v[get]['message']}`; signature2 = HMAC-MD5(key, message) = `{v[get]['result']}`",
        *([f"3. POST: message = the exact body sent (compact JSON, nonce inside): "
           f"`{v[post]['message']}`; signature2 = `{v[post]['result']}`"] if post else []),
        f"4. Headers: `signature2`, `appid: {appid}`, `access_token`, `requestid` = "
        f"md5hex(md5hex(nonce)) = `{v['requestid']['result']}` (wyze-sdk), `appinfo`, "
        "`phoneid`.", ""]


_OLIVE = _olive("olive_key", "olive_get", "olive_post", "9319141212m2ik", "olive secret")
_FORD = [
    "**Worked example** (made-up token, the clients' published key and secret):", "",
    "1. params = access_token, key, timestamp (ms) and the call's own (uuid), sorted by name, "
    f"`k=v` joined by `&`: `{VECTORS['ford_get']['params']}`",
    "2. sign = md5hex(quote_plus(`get` + `/openapi/lock/v1/info` + params + Ford secret "
    f"`{FORD_SECRET}`)) = `{VECTORS['ford_get']['result']}`",
    "3. GET sends all of them and sign in the query; POST/PUT send them in the JSON body, "
    "with `accessToken` instead of `access_token` (wyze-sdk).", ""]
_BEARER = ["**Worked example:** `authorization: Bearer " + TOKEN + "`.", ""]

# generation (catalog.yaml) -> the lines docs/api.md prints under the section's signing line.
SIGNING_EXAMPLES: dict[str, list[str]] = {
    "earth": _OLIVE,
    "venus": _olive("venus_key", "venus_get", "", "venp_4c30f812828de875", "venus secret"),
    "ford": _FORD,
    "webrtc": _BEARER,
}
