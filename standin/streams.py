"""Camera stream bootstrap in the Wyze cloud stand-in: what a client connects to a camera with.

Per camera generation (docs/streams.md): TUTK cameras get their keys from get_object_list
(`p2p_id`, `enr`, `dtls`, `parent_*`) and from `POST api.wyzecam.com/app/v2/device/get_iotc_info`
(go2rtc); WebRTC cameras (Kinesis Video) from `GET webrtc.api.wyze.com/signaling/device/<mac>`
(Bearer token, docker-wyze-bridge `get_cam_webrtc`) or the signed v4
`/app/v4/camera/get-streams` and `/get_streams` (wyzeapy `_get_camera_stream`, IDisposable);
Gwell cameras (`GW_*`) register on mars (standin/misc.py). Kinesis clip and live URLs come from
`ams-api` / `beta-ams-api` (`/api/v1/kinesis/{live_,}replay_url/get`, app envelope).

Every URL, token and ICE credential is made up but shaped like AWS's: presigned
`wss://...kinesisvideo...` URLs with `X-Amz-*` parameters, TURN users `<expiry>:<base64>`.
INFERRED: the field names inside get_iotc_info's and the kinesis calls' `data` (no public body
names them): the stand-in uses the get_object_list names and `url` / `expires_in`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from standin import replies
from standin.app_api import AppApi
from standin.calls import Call
from standin.devices import device_enr
from standin.replies import Reply, _json_reply
from standin.state import Account, Device
from standin.v4 import V4_HOST, V4Api, v4_reply
from wyzeproto import signing

WEBRTC_HOST = "webrtc.api.wyze.com"
AMS_HOST = "ams-api.wyzecam.com"
BETA_AMS_HOST = "beta-ams-api.wyzecam.com"
SIGNALING_PREFIX = "/signaling/device/"
# Models that stream over Kinesis WebRTC (docs/streams.md: Cam v3 Pro, Floodlight Pro,
# Battery Cam Pro) and Gwell models (WyzeCam OG, Doorbell Duo; wyze-sdk issue #150).
WEBRTC_MODELS = {"HL_CAM3P", "LD_CFP", "AN_RSCW", "HL_CFL2"}
GWELL_MODELS = {"GW_GC1", "GW_GC2", "GW_BE1"}
REGION = "us-west-2"


def generation(device: Device) -> str:
    """`webrtc`, `gwell` or `tutk`: how a client reaches this camera."""
    if device.product_model in WEBRTC_MODELS:
        return "webrtc"
    if device.product_model in GWELL_MODELS:
        return "gwell"
    return "tutk"


def _stamp(now: float) -> tuple[str, str]:
    moment = time.gmtime(now)
    return time.strftime("%Y%m%dT%H%M%SZ", moment), time.strftime("%Y%m%d", moment)


def _key_id(seed: str) -> str:
    return "ASIA" + hashlib.sha1(seed.encode()).hexdigest()[:16].upper()


def signaling_url(device: Device, now: float) -> str:
    """A presigned KVS signalling `wss://` URL for the camera's channel (made up)."""
    amz_date, day = _stamp(now)
    account = str(int(hashlib.sha256(b"aws" + device.mac.encode()).hexdigest(), 16))[:12]
    channel = quote(f"arn:aws:kinesisvideo:{REGION}:{account}:channel/{device.mac}/"
                    f"{1_690_000_000_000 + int(account[:6])}", safe="")
    security = quote(base64.b64encode(secrets.token_bytes(96)).decode(), safe="")
    return (f"wss://v-{hashlib.md5(device.mac.encode()).hexdigest()[:8]}.kinesisvideo."
            f"{REGION}.amazonaws.com/?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-ChannelARN={channel}&X-Amz-ClientId={secrets.token_hex(8)}"
            f"&X-Amz-Credential={_key_id(device.mac)}%2F{day}%2F{REGION}%2Fkinesisvideo"
            f"%2Faws4_request&X-Amz-Date={amz_date}&X-Amz-Expires=299"
            f"&X-Amz-Security-Token={security}&X-Amz-SignedHeaders=host"
            f"&X-Amz-Signature={secrets.token_hex(32)}")


def ice_servers(now: float) -> list[dict[str, Any]]:
    """A STUN server and two TURN servers with short-lived credentials (made up)."""
    expiry = int(now) + 300
    host = f"{secrets.randbelow(200) + 34}-{secrets.randbelow(250)}-{secrets.randbelow(250)}-" \
           f"{secrets.randbelow(250)}.t-{secrets.token_hex(4)}.kinesisvideo.{REGION}." \
           "amazonaws.com:443"
    turn = {"username": f"{expiry}:{base64.b64encode(secrets.token_bytes(48)).decode()}",
            "credential": base64.b64encode(secrets.token_bytes(32)).decode()}
    return [{"url": f"stun:stun.kinesisvideo.{REGION}.amazonaws.com:443"},
            {"urls": f"turn:{host}?transport=udp", **turn},
            {"urls": f"turns:{host}?transport=tcp", **turn}]


class StreamApi:
    """Handlers for the stream calls; app API checks from AppApi, v4 checks from V4Api."""

    def __init__(self, app: AppApi, v4: V4Api) -> None:
        self.app = app
        self.v4 = v4
        self.state = app.state

    def routes(self) -> dict[str, dict[str, Callable[[Call], Reply]]]:
        """Host -> path -> handler (the signalling path is matched by prefix in cloud.py)."""
        return {
            self.app_host(): {"/app/v2/device/get_iotc_info": self.get_iotc_info},
            V4_HOST: {path: self.v4.checked(self.get_streams)
                      for path in ("/app/v4/camera/get-streams", "/app/v4/camera/get_streams")},
            AMS_HOST: {"/api/v1/kinesis/live_replay_url/get": self.kinesis_url},
            BETA_AMS_HOST: {"/api/v1/kinesis/replay_url/get": self.kinesis_url},
        }

    @staticmethod
    def app_host() -> str:
        """The app API host (kept here so cloud.py merges one table per host)."""
        return "api.wyzecam.com"

    def _camera(self, account: Account, mac: Any) -> Device | None:
        device = self.state.owned_device(account, mac)
        return device if device is not None and device.product_type == "Camera" else None

    def _begin_camera(self, call: Call) -> Device | Reply:
        """:meth:`AppApi.begin`, then the account's camera `device_mac` names (3005 else)."""
        begun = self.app.begin(call)
        if isinstance(begun, Reply):
            return begun
        body, account = begun
        assert account is not None
        device = self._camera(account, body.get("device_mac"))
        if device is None:
            return replies.app_error(self.app.now(), replies.UNAUTHORIZED)
        return device

    def get_iotc_info(self, call: Call) -> Reply:
        """TUTK connection info of one camera (`device_mac`); 3019 when it is offline."""
        device = self._begin_camera(call)
        if isinstance(device, Reply):
            return device
        if not device.online:
            return replies.app_error(self.app.now(), replies.DEVICE_OFFLINE)
        params = device.device_params
        parent = self.state.devices.get(device.parent_mac) if device.parent_mac else None
        return replies.envelope(self.app.now(), {
            "mac": device.mac, "p2p_id": params.get("p2p_id", ""),
            "p2p_type": params.get("p2p_type", 4), "enr": device_enr(device.mac),
            "dtls": params.get("dtls", 1), "ip": params.get("ip", ""),
            "parent_device_mac": device.parent_mac,
            "parent_device_enr": device_enr(parent.mac) if parent is not None else "",
            "main_device_dtls": params.get("main_device_dtls", 1)})

    def signaling(self, call: Call) -> Reply:
        """`GET /signaling/device/<mac>`: KVS signalling for a WebRTC camera, else HTTP 404."""
        account = self.app.sessions.account_for_access(
            signing.bearer_token(call.header("authorization")))
        now = self.app.now()
        if account is None:
            return Reply(401)  # INFERRED: no public body (catalog outcome `unauthorized`)
        device = self._camera(account, call.path[len(SIGNALING_PREFIX):])
        if device is None or generation(device) != "webrtc":
            return Reply(404)  # no public body of this 404 (catalog: unchecked)
        return _json_reply(200, {"code": 1, "results": {
            "signalingUrl": quote(signaling_url(device, now), safe=""),
            "signalToken": secrets.token_urlsafe(48), "servers": ice_servers(now)}})

    def get_streams(self, account: Account, body: dict[str, Any], call: Call) -> Reply:
        """v4 get-streams: per requested camera, its provider, parameters and iot state."""
        wanted = body.get("device_list")
        now = self.app.now()
        if not isinstance(wanted, list) or not wanted \
                or not all(isinstance(w, dict) for w in wanted):
            return v4_reply(now, None, replies.PARAMETER_ERROR)
        answers = []
        for item in wanted:
            device = self._camera(account, item.get("device_id"))
            if device is None:
                return v4_reply(now, None, replies.UNAUTHORIZED)
            if not device.online:
                return v4_reply(now, None, replies.DEVICE_OFFLINE)
            answers.append(self._stream(device, str(item.get("provider", "webrtc")), now))
        return v4_reply(now, answers)

    def _stream(self, device: Device, provider: str, now: float) -> dict[str, Any]:
        # wyzeapy camera_service.get_stream_info reads property iot-device::iot-state/-power.
        power = int(device.properties.get("P3", "1"))
        answer: dict[str, Any] = {"provider": provider,
                                  "property": {"iot-device::iot-state": 1,
                                               "iot-device::iot-power": power}}
        if provider == "lake":
            # Lower confidence (docs/streams.md): Agora channel and its encryption keys.
            answer["params"] = {"channel": hashlib.sha1(device.mac.encode()).hexdigest()[:20],
                                "protocol": 1, "encryption_mode": 6,
                                "encryption_key": secrets.token_hex(16),
                                "encryption_salt": base64.b64encode(
                                    secrets.token_bytes(32)).decode()}
        else:
            answer["params"] = {"signaling_url": signaling_url(device, now),
                                "auth_token": secrets.token_urlsafe(48),
                                "ice_servers": ice_servers(now)}
        return answer

    def kinesis_url(self, call: Call) -> Reply:
        """A presigned Kinesis Video HLS URL for a camera (`device_mac`)."""
        device = self._begin_camera(call)
        if isinstance(device, Reply):
            return device
        amz_date, day = _stamp(self.app.now())
        url = (f"https://b-{hashlib.md5(device.mac.encode()).hexdigest()[:8]}.kinesisvideo."
               f"{REGION}.amazonaws.com/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken="
               f"{secrets.token_urlsafe(64)}&X-Amz-Algorithm=AWS4-HMAC-SHA256"
               f"&X-Amz-Credential={_key_id(device.mac)}%2F{day}%2F{REGION}%2Fkinesisvideo"
               f"%2Faws4_request&X-Amz-Date={amz_date}&X-Amz-Expires=300"
               f"&X-Amz-SignedHeaders=host&X-Amz-Signature={secrets.token_hex(32)}")
        return replies.envelope(self.app.now(), {"url": url, "expires_in": 300})
