"""What a desktop client connects to each camera's live feed with, found by the project's client.

Runs the sequence of ``docs/streams.md`` with :class:`replay.client.WyzeClient` and stops at
the HTTP boundary::

    with WyzeClient(base_url=url) as client:
        for camera in stream_info(client, credentials):
            print(camera.mac, camera.generation, camera.tutk, camera.webrtc)

1. log in (``/api/user/login``), 2. ``get_user_info`` (``open_user_id``, newer TUTK firmware),
3. ``get_object_list``: the cameras (``product_type == "Camera"``) and their TUTK fields, then
per camera: 4. WebRTC signalling (``GET webrtc.api.wyze.com/signaling/device/<mac>``, Bearer;
HTTP 404 means no WebRTC) for TUTK cameras, ``get-streams`` with provider ``lake`` for the
Agora cameras, ``mars`` ``regist_gw_user`` for Gwell cameras. A step that fails is kept as a
note on the camera; a failed login or device list raises
:class:`~replay.results.WyzeApiError` (or the transport's error). :func:`masked` hides the
secrets (``enr``, tokens, TURN credentials, the presigned signalling URL's query) for printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from replay.client import WyzeClient
from replay.credentials import Credentials
from replay.results import Device, WyzeApiError
from replay.signed import nonce

WEBRTC_HOST = "webrtc.api.wyze.com"
V4_HOST = "app.wyzecam.com"
MARS_HOST = "wyze-mars-service.wyzecam.com"
# Agora ("lake") cameras: HL_PAN4 (wyze-protocol-facts.md section 8, the v4 listing's
# providers ["lake"]) and ME_WCO3 (the web app's lake list).
LAKE_MODELS = frozenset({"HL_PAN4", "ME_WCO3"})
GWELL_PREFIX = "GW_"  # GW_GC1, GW_BE1, GW_DBD...: Gwell P2P, not TUTK (bridge, go2rtc)
TUTK_FIELDS = ("p2p_id", "p2p_type", "ip", "dtls", "main_device_dtls")
PARENT_FIELDS = ("parent_device_mac", "parent_device_enr")
MARS_TTL_MINUTES = 10080  # IDisposable mars.go
# What authenticates a connection (docs/streams.md, the "authenticates" column) and the TURN
# credentials: masked unless asked.
SECRETS = frozenset({"enr", "parent_device_enr", "open_user_id", "signal_token", "auth_token",
                     "username", "credential", "access_token", "encryption_key",
                     "encryption_salt"})


@dataclass
class Camera:
    """One camera and what a client would connect to it with, per transport."""

    mac: str
    model: str
    nickname: str
    generation: str  # "tutk", "gwell" or "lake"
    tutk: dict[str, Any] = field(default_factory=dict)
    webrtc: dict[str, Any] | None = None
    gwell: dict[str, Any] | None = None
    lake: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def as_json(self, show_secrets: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"mac": self.mac, "model": self.model,
                               "nickname": self.nickname, "generation": self.generation}
        for name in ("tutk", "webrtc", "gwell", "lake"):
            value = getattr(self, name)
            out[name] = value if show_secrets or value is None else masked(value)
        out["notes"] = list(self.notes)
        return out


def mask(value: Any) -> str:
    """A secret as its length only: enough to tell it is there, nothing of it."""
    return f"*** ({len(str(value))} chars)" if value not in (None, "") else ""


def _mask_url(url: str) -> str:
    """A presigned URL with its query (credentials, signature) masked."""
    parts = urlsplit(url)
    names = ",".join(name for name, _ in parse_qsl(parts.query))
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (
        f"?*** (query: {names})" if parts.query else "")


def masked(info: Any) -> Any:
    """``info`` with every secret (see :data:`SECRETS`) masked, at any depth."""
    if isinstance(info, dict):
        return {k: (mask(v) if k in SECRETS else _mask_url(v) if k == "signaling_url"
                    and isinstance(v, str) else masked(v)) for k, v in info.items()}
    if isinstance(info, list):
        return [masked(v) for v in info]
    return info


def generation(device: Device) -> str:
    """Which transport a camera speaks, from its model and ``p2p_id`` (docs/streams.md)."""
    p2p_id = str(device.device_params.get("p2p_id") or "")
    if device.product_model.startswith(GWELL_PREFIX) or p2p_id.startswith(GWELL_PREFIX):
        return "gwell"
    return "lake" if device.product_model in LAKE_MODELS else "tutk"


def _tutk(device: Device, open_user_id: str | None) -> dict[str, Any]:
    params = device.device_params
    info: dict[str, Any] = {"p2p_id": params.get("p2p_id"), "enr": device.raw.get("enr")}
    info.update({name: params.get(name) for name in TUTK_FIELDS[1:]})
    parent = {name: device.raw.get(name) for name in PARENT_FIELDS if device.raw.get(name)}
    info.update(parent)
    info.update(firmware_ver=device.raw.get("firmware_ver"), open_user_id=open_user_id)
    return {k: v for k, v in info.items() if v not in (None, "")}


def _ice_servers(servers: Any) -> list[dict[str, Any]]:
    out = []
    for server in servers or ():
        if isinstance(server, dict):
            urls = server.get("urls", server.get("url"))
            entry = {"urls": urls, "username": server.get("username"),
                     "credential": server.get("credential")}
            out.append({k: v for k, v in entry.items() if v not in (None, "")})
    return out


def _webrtc(client: WyzeClient, device: Device) -> dict[str, Any]:
    answer = client.service_call("bearer", "GET", WEBRTC_HOST,
                                 f"/signaling/device/{device.mac}",
                                 query={"use_trickle": "true"})
    results = answer.get("results") or {} if isinstance(answer, dict) else {}
    # The URL comes URL-encoded once (docker-wyze-bridge get_cam_webrtc unquotes it).
    url = unquote(str(results.get("signalingUrl") or ""))
    channel = dict(parse_qsl(urlsplit(url).query)).get("X-Amz-ChannelARN")
    info = {"source": f"GET {WEBRTC_HOST}/signaling/device/{{mac}}", "signaling_url": url,
            "kvs_channel_arn": channel, "signal_token": results.get("signalToken"),
            "ice_servers": _ice_servers(results.get("servers"))}
    return {k: v for k, v in info.items() if v not in (None, "")}


def _get_streams(client: WyzeClient, device: Device, provider: str) -> dict[str, Any]:
    body = {"device_list": [{"device_id": device.mac, "device_model": device.product_model,
                             "provider": provider, "parameters": {"use_trickle": True}}],
            "nonce": int(nonce())}
    answer = client.service_call("olive_signature2", "POST", V4_HOST,
                                 "/app/v4/camera/get-streams", body=body)
    streams = answer.get("data") if isinstance(answer, dict) else None
    first = streams[0] if isinstance(streams, list) and streams else {}
    params = first.get("params") if isinstance(first, dict) else None
    return {"source": f"POST {V4_HOST}/app/v4/camera/get-streams",
            "provider": first.get("provider", provider) if isinstance(first, dict) else provider,
            **(params if isinstance(params, dict) else {})}


def _gwell(client: WyzeClient, device: Device) -> dict[str, Any]:
    # Gwell device ids are the model and the MAC (GW_BE1_<mac>); some listings already give
    # the mac in that form (GW_GC1_7C78B2E41D09).
    model = device.product_model
    device_id = device.mac if device.mac.startswith(f"{model}_") else f"{model}_{device.mac}"
    body = {"nonce": nonce(), "ttl_minutes": MARS_TTL_MINUTES, "unique_id": client.phone_id}
    answer = client.service_call("olive_signature2", "POST", MARS_HOST,
                                 f"/plugin/mars/v2/regist_gw_user/{device_id}", body=body)
    data = answer.get("data") or {} if isinstance(answer, dict) else {}
    p2p_id = device.device_params.get("p2p_id")
    info = {"source": f"POST {MARS_HOST}/plugin/mars/v2/regist_gw_user/{{device_id}}",
            "p2p_id": p2p_id, "access_id": data.get("accessId"),
            "access_token": data.get("accessToken")}
    return {k: v for k, v in info.items() if v not in (None, "")}


def _step(camera: Camera, what: str, call: Any) -> Any:
    """Run one per-camera call; a failure becomes a note (the other cameras go on)."""
    try:
        return call()
    except WyzeApiError as exc:
        if exc.status == 404 and what == "webrtc":
            camera.notes.append("webrtc: not offered (signalling answered HTTP 404)")
        else:
            camera.notes.append(f"{what}: {exc}")
    except (OSError, ValueError) as exc:  # requests' errors are OSErrors
        camera.notes.append(f"{what}: {type(exc).__name__}: {exc}")
    return None


def stream_info(client: WyzeClient, credentials: Credentials) -> list[Camera]:
    """The docs/streams.md sequence: log in, then every camera's connection details."""
    client.login(credentials.email, credentials.password, key_id=credentials.key_id,
                 api_key=credentials.api_key)
    open_user_id = None
    try:
        user = client.call("/app/user/get_user_info") or {}
        open_user_id = user.get("open_user_id") if isinstance(user, dict) else None
    except WyzeApiError:
        pass  # only newer TUTK firmware needs it; the cameras are still listed
    cameras = []
    for device in client.get_object_list().devices:
        if device.product_type != "Camera":
            continue
        kind = generation(device)
        camera = Camera(device.mac, device.product_model, device.nickname or "", kind)
        if kind == "tutk":
            camera.tutk = _tutk(device, open_user_id)
            camera.webrtc = _step(camera, "webrtc", lambda d=device: _webrtc(client, d))
        elif kind == "lake":
            camera.lake = _step(camera, "lake", lambda d=device: _get_streams(client, d, "lake"))
        else:
            camera.gwell = _step(camera, "gwell", lambda d=device: _gwell(client, d))
        cameras.append(camera)
    return cameras
