"""Device management, AI toggles, Gwell registration and platform variables in the stand-in.

- devicemgmt (`devicemgmt-service[-beta].wyze.com/device-management/api/...`; wyzeapy
  `_get_iot_prop_devicemgmt`, `_run_action_devicemgmt`, thatdaveguy1 `wakeup_kvs_camera`): the
  raw access token in `authorization`; the non-beta host is also olive-signed by thatdaveguy1,
  so a `signature2`, when sent, must match the body. `get_iot_prop` answers each asked
  capability with its properties' values; `run_action` turns the camera on (`wakeup`) or off
  (`sleep`), the floodlight or spotlight on or off and the siren. wyzeapy
  `check_for_errors_iot` reads `code` (1) beside `status` (200), so both are sent. A dead
  token: `status 401`, `code 2001`, `InvalidTokenError>` (INFERRED from wyzeapy's checks).
- `ai-subscription-service-beta` `PUT toggle-management` (wyzeapy `_set_toggle`): wyzeapy
  signs the Python `str()` of its payload's values, which no server can recompute from the
  JSON, so only the token is checked here; the toggles are kept per device.
- `wyze-mars-service` `POST /plugin/mars/v2/regist_gw_user/<device_id>` (IDisposable `mars.go`,
  wlatic/hacky-wyze-gwell): olive-signed; a Gwell camera's `accessId` and `accessToken`.
- `wyze-platform-service` `GET get_variable` (wyze-sdk `platform_service`): olive-signed; the
  variables' values are not public, so `data` is empty.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from standin import signed
from standin.calls import Call
from standin.events import camera_switched
from standin.replies import Reply, _json_reply
from standin.sessions import Sessions
from standin.state import CloudState, Device
from standin.streams import GWELL_MODELS
from wyzeproto import signing

DEVICEMGMT_HOSTS = ("devicemgmt-service.wyze.com", "devicemgmt-service-beta.wyze.com")
SUBSCRIPTION_HOST = "ai-subscription-service-beta.wyzecam.com"
MARS_HOST = "wyze-mars-service.wyzecam.com"
MARS_PREFIX = "/plugin/mars/v2/regist_gw_user/"
PLATFORM_HOST = "wyze-platform-service.wyzecam.com"
DM = "/device-management/api/"
# (capability, property) -> value when the device has none stored: what wyzeapy reads.
DEFAULTS = {("iot-device", "iot-state"): 1, ("iot-device", "push-switch"): 1,
            ("camera", "motion-detect-recording"): 1, ("camera", "motion-detect"): 1}


def _status(status: int, code: int | None, message: str, **extra: Any) -> Reply:
    body: dict[str, Any] = {"status": status, "message": message, **extra}
    if code is not None:  # devicemgmt answers carry `code`; the toggle service's need not
        body["code"] = code
    return _json_reply(200, body)


def _invalid_token() -> Reply:
    return _status(401, int(signed.OLIVE_TOKEN_ERROR), "InvalidTokenError>",
                   response={"errors": [{"message": "InvalidTokenError>"}]})


class DeviceMgmtApi:
    """Handlers for devicemgmt, the toggle service, mars and platform variables."""

    def __init__(self, state: CloudState, sessions: Sessions) -> None:
        self.state = state
        self.sessions = sessions

    def routes(self) -> dict[str, dict[str, Callable[[Call], Reply]]]:
        """Host -> path -> handler (mars is matched by prefix in cloud.py)."""
        # get_iot_prop is only known on the beta host (wyzeapy); run_action on both.
        hosts: dict[str, dict[str, Callable[[Call], Reply]]] = {
            host: {DM + "action/run_action": self.run_action} for host in DEVICEMGMT_HOSTS}
        hosts[DEVICEMGMT_HOSTS[1]][DM + "device-property/get_iot_prop"] = self.get_iot_prop
        hosts[SUBSCRIPTION_HOST] = {"/v4/subscription-service/toggle-management": self.toggle}
        hosts[PLATFORM_HOST] = {"/app/v2/platform/get_variable": self.get_variable}
        return hosts

    def _target(self, call: Call) -> tuple[Device, dict[str, Any]] | Reply:
        token = signing.bearer_token(call.header("authorization"))
        account = self.sessions.account_for_access(token)
        signature = call.header("signature2")
        if account is None or (signature is not None and not signing.signature2_matches(
                signature, token or "", call.body, signing.OLIVE_SECRET)):
            return _invalid_token()
        body = call.json_body() or {}
        target = body.get("targetInfo") or {}
        device = self.state.devices.get(str(target.get("id")))
        if device is None or device.owner != account.email:
            return _status(403, 3005, "unauthorized operation")  # INFERRED
        return device, body

    @staticmethod
    def _value(device: Device, capability: str, prop: str) -> Any:
        if capability == "iot-device" and prop == "iot-power":
            return int(device.properties.get("P3", "1"))
        if capability == "iot-device" and prop == "iot-state":
            return 1 if device.online else 0
        stored = device.properties.get(f"{capability}::{prop}")
        if stored is not None:
            return int(stored) if stored.lstrip("-").isdigit() else stored
        return DEFAULTS.get((capability, prop), 0)

    def get_iot_prop(self, call: Call) -> Reply:
        """Each asked capability `{iid, name, properties: [...]}` with `{prop: value}`."""
        found = self._target(call)
        if isinstance(found, Reply):
            return found
        device, body = found
        answered = []
        for cap in body.get("capabilities") or []:
            if isinstance(cap, dict) and isinstance(cap.get("name"), str):
                answered.append({"iid": cap.get("iid", 1), "name": cap["name"], "properties": {
                    str(p): self._value(device, cap["name"], str(p))
                    for p in cap.get("properties") or []}})
        return _status(200, 1, "success", data={"capabilities": answered})

    def run_action(self, call: Call) -> Reply:
        """Power (wakeup/sleep), floodlight/spotlight `on`, siren on/off; 3019 offline."""
        found = self._target(call)
        if isinstance(found, Reply):
            return found
        device, body = found
        if not device.online:
            return _status(400, 3019, "DeviceIsOffline")  # INFERRED body
        for cap in body.get("capabilities") or []:
            name = cap.get("name") if isinstance(cap, dict) else None
            for function in cap.get("functions") or [] if name else []:
                action = function.get("name")
                if name == "iot-device" and action in ("wakeup", "sleep"):
                    device.properties["P3"] = "1" if action == "wakeup" else "0"
                    camera_switched(device, self.state.clock.now())
                elif name == "siren" and action in ("siren-on", "siren-off"):
                    device.properties["siren::state"] = "1" if action == "siren-on" else "0"
            for prop in cap.get("properties") or [] if name else []:
                if isinstance(prop, dict) and prop.get("prop"):
                    device.properties[f"{name}::{prop['prop']}"] = str(prop.get("value"))
        return _status(200, 1, "success", response={})

    def toggle(self, call: Call) -> Reply:
        """Set AI toggles (`data[].toggle_update[]`) of the account's devices."""
        account = self.sessions.account_for_access(call.header("access_token"))
        body = call.json_body()
        if account is None:
            return _invalid_token()
        if body is None or not isinstance(body.get("data"), list):
            return _status(400, 1001, "ParameterError")  # INFERRED
        for item in body["data"]:
            device = self.state.devices.get(str(item.get("device_id")))
            if device is None or device.owner != account.email:
                return _status(403, 3005, "unauthorized operation")  # INFERRED
            for update in item.get("toggle_update") or []:
                device.properties[f"toggle::{update.get('toggle_id')}"] = \
                    str(update.get("toggle_status"))
        return _status(200, None, "ok")

    def regist_gw_user(self, call: Call) -> Reply:
        """A Gwell login (`accessId`, `accessToken`) for the camera in the path."""
        account = signed.check_olive(call, self.sessions)
        if isinstance(account, Reply):
            return account
        device = self.state.devices.get(call.path[len(MARS_PREFIX):])
        body = call.json_body() or {}
        if device is None or device.owner != account.email \
                or device.product_model not in GWELL_MODELS or "unique_id" not in body:
            return signed.olive_error(1001, "ParameterError")  # INFERRED
        if not device.online:
            return signed.olive_error(3019, "DeviceIsOffline")  # INFERRED
        return _json_reply(200, {"code": 1, "msg": "success", "data": {
            "accessId": str(10**9 + secrets.randbelow(9 * 10**9)),
            "accessToken": secrets.token_hex(32)}})

    def get_variable(self, call: Call) -> Reply:
        """Platform variables by `keys`: their values are not public, so none."""
        account = signed.check_olive(call, self.sessions)
        if isinstance(account, Reply):
            return account
        return signed.olive({})
