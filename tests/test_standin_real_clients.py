"""wyze-sdk 2.2.0 and wyzeapy 0.8.0, unmodified, through the capture proxy against the stand-in.

The clients call the real Wyze URLs; mitmdump (capture addon, project CA, lazy upstream)
sends every Wyze host to the stand-in on 127.0.0.1, keeping the host as the first path
segment so the stand-in routes each call to the right service. Nothing leaves loopback.

Neither client is patched or configured: inside `route_wyze_hosts(proxy=..., ca=...)` the
Wyze names resolve to loopback ports that tunnel each connection with CONNECT through the
capture proxy, and both clients trust mitmproxy's CA through SSL_CERT_FILE and
REQUESTS_CA_BUNDLE, so their TLS is with mitmproxy as if they had been set up to use it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from standin import StandIn
from standin.scenarios import PLAIN, default_state_dict
from wyzeproto import resources
from wyzeproto.cassette.files import load_cassette
from wyzeproto.schema import drift
from wyzeproto.schema.catalog import load_catalog
from wyzeproto.schema.validate import check_interaction
from wyzeproto.wyze_names import route_wyze_hosts

wyze_sdk = pytest.importorskip("wyze_sdk")
wyzeapy = pytest.importorskip("wyzeapy")
aiohttp = pytest.importorskip("aiohttp")

WYZE_HOSTS = r"([a-z0-9.-]+\.(?:wyzecam|wyze)\.com)"
LOCK = "YD.LO1.5c8e1f0a3b7d4e29a6c0d1e2f3a4b5c6"
THERMOSTAT, SWITCH, VACUUM = "CO_EA1_3130334B52484D33", "LD_SS1_80482C9E1A3F", \
    "JA_RO2_4E5A7C1D9B02"
CAMERA, PLUG, BULB, SENSOR = "2CAA8E4F1D07", "7C78B2E5A40C", "7C78B2D40F86", "D03F27A6E913"
SCALE, SCALE_S = "JA.SC2.C7E91D04A25B6F83", "WL_SC2_D83BC45E0F17"
SPRINKLER, PURIFIER = "BS_WK1_A4DA22F07C3E", "CO_AP1_7C78B2F4A1D3"
FLOODLIGHT, GATEWAY = "D03F27C45E19", "YD.GW1.8e3f0b6c2a4d4f19b7e5c1a9d0f2e4b6"


def _code_id(client: Any, name: str) -> int:
    """The id of the lock's keypad code called `name` (wyze-sdk get_keys)."""
    keys = client.locks.get_keys(device_mac=LOCK)
    return next(int(k.id) for k in keys if getattr(k, "name", None) == name)


def sdk_lock_code_calls(client: Any) -> list[tuple[str, Callable[[], Any]]]:
    """A keypad code added, renamed, updated and removed through wyze-sdk (Ford)."""
    from wyze_sdk.models.devices.locks import LockKeyPermission, LockKeyPermissionType

    always = LockKeyPermission(type=LockKeyPermissionType.ALWAYS)
    return [
        ("wyze_sdk.locks.create_access_code", lambda: client.locks.create_access_code(
            device_mac=LOCK, access_code="482913", name="Dog walker", permission=always)),
        ("wyze_sdk.locks.rename_access_code", lambda: client.locks.rename_access_code(
            device_mac=LOCK, access_code_id=_code_id(client, "Dog walker"), name="Walker")),
        ("wyze_sdk.locks.update_access_code", lambda: client.locks.update_access_code(
            device_mac=LOCK, access_code_id=_code_id(client, "Walker"), access_code="561204",
            permission=always)),
        ("wyze_sdk.locks.delete_access_code", lambda: client.locks.delete_access_code(
            device_mac=LOCK, access_code_id=_code_id(client, "Walker"))),
        ("wyze_sdk.locks.gateways.list", lambda: client.locks.gateways.list()),
        ("wyze_sdk.locks.gateways.info", lambda: client.locks.gateways.info(
            device_mac=GATEWAY)),
        ("wyze_sdk.plugs.turn_on(after)", lambda: client.plugs.turn_on(
            device_mac=PLUG, device_model="WLPP1CFH", after=timedelta(hours=1))),
        ("wyze_sdk.plugs.clear_timer", lambda: client.plugs.clear_timer(device_mac=PLUG)),
    ]
# Problems that are not the stand-in's or the clients': each names the code at fault and
# stays listed only until that code is fixed (nothing else is excused).
NOT_OURS: list[tuple[str, str]] = [
]


# Fields the traffic carries that schemas/ does not name yet, each with why it is there; the
# test fails on any other undocumented field. For the schema work to pick up.
KNOWN_UNDOCUMENTED: dict[tuple[str, str, str], str] = {
}


# Drift that comes from the capture side, not the traffic: (endpoint, side, path prefix, why).
SCRUBBED_BY_REDACTION: list[tuple[str, str, str, str]] = [
]


def _scrubbed(finding: tuple[str, str, str]) -> bool:
    return any(finding[0] == e and finding[1] == side and finding[2].startswith(prefix)
               for e, side, prefix, _ in SCRUBBED_BY_REDACTION)


def _not_ours(problem: str) -> bool:
    return any(text in problem for text, _ in NOT_OURS)


@pytest.fixture
def cloud() -> Iterator[StandIn]:
    s = StandIn(default_state_dict(auth_limit=1000))
    s.start(tls=True)
    yield s
    s.stop()


@pytest.fixture
def proxy(mitmdump_factory: Any, tmp_path: Path, cloud: StandIn) -> Any:
    port = cloud.base_url.rsplit(":", 1)[1] if cloud.base_url else ""
    return mitmdump_factory([
        "-s", str(resources.addon_path("capture")),
        "--set", f"capture_dir={tmp_path / 'captures'}", "--set", "capture_name=clients",
        "--map-remote", f"!//{WYZE_HOSTS}(:\\d+)?/!//127.0.0.1:{port}/\\1/",
    ])


def sdk_calls(client: Any) -> list[tuple[str, Callable[[], Any]]]:
    since = datetime(2020, 1, 1)
    return [
        ("wyze_sdk.Client.devices_list", client.devices_list),
        ("wyze_sdk.Client.user_get_info", client.user_get_info),
        ("wyze_sdk.cameras.list", client.cameras.list),
        ("wyze_sdk.cameras.info", lambda: client.cameras.info(device_mac=CAMERA)),
        ("wyze_sdk.cameras.turn_off", lambda: client.cameras.turn_off(
            device_mac=CAMERA, device_model="WYZE_CAKP2JFUS")),
        ("wyze_sdk.cameras.turn_on", lambda: client.cameras.turn_on(
            device_mac=CAMERA, device_model="WYZE_CAKP2JFUS")),
        ("wyze_sdk.plugs.list", client.plugs.list),
        ("wyze_sdk.plugs.info", lambda: client.plugs.info(device_mac=PLUG)),
        ("wyze_sdk.plugs.turn_on", lambda: client.plugs.turn_on(
            device_mac=PLUG, device_model="WLPP1CFH")),
        ("wyze_sdk.plugs.turn_off", lambda: client.plugs.turn_off(
            device_mac=PLUG, device_model="WLPP1CFH")),
        ("wyze_sdk.plugs.get_usage_records", lambda: client.plugs.get_usage_records(
            device_mac=PLUG, device_model="WLPP1CFH", start_time=datetime.now() - timedelta(
                days=2), end_time=datetime.now())),
        ("wyze_sdk.bulbs.list", client.bulbs.list),
        ("wyze_sdk.bulbs.info", lambda: client.bulbs.info(device_mac=BULB)),
        ("wyze_sdk.bulbs.set_brightness", lambda: client.bulbs.set_brightness(
            device_mac=BULB, device_model="WLPA19C", brightness=40)),
        ("wyze_sdk.entry_sensors.list", client.entry_sensors.list),
        ("wyze_sdk.entry_sensors.info", lambda: client.entry_sensors.info(device_mac=SENSOR)),
        ("wyze_sdk.events.list", lambda: client.events.list(limit=10)),
        ("wyze_sdk.locks.list", client.locks.list),
        ("wyze_sdk.locks.info", lambda: client.locks.info(device_mac=LOCK)),
        ("wyze_sdk.locks.unlock", lambda: client.locks.unlock(device_mac=LOCK)),
        ("wyze_sdk.locks.lock", lambda: client.locks.lock(device_mac=LOCK)),
        ("wyze_sdk.locks.get_records", lambda: client.locks.get_records(
            device_mac=LOCK, since=since)),
        ("wyze_sdk.locks.get_keys", lambda: client.locks.get_keys(device_mac=LOCK)),
        ("wyze_sdk.thermostats.list", client.thermostats.list),
        ("wyze_sdk.thermostats.info", lambda: client.thermostats.info(device_mac=THERMOSTAT)),
        ("wyze_sdk.thermostats.set_cooling_setpoint",
         lambda: client.thermostats.set_cooling_setpoint(
             device_mac=THERMOSTAT, device_model="CO_EA1", cooling_setpoint=75)),
        ("wyze_sdk.thermostats.set_heating_setpoint",
         lambda: client.thermostats.set_heating_setpoint(
             device_mac=THERMOSTAT, device_model="CO_EA1", heating_setpoint=68)),
        ("wyze_sdk.switches.list", client.switches.list),
        ("wyze_sdk.switches.info", lambda: client.switches.info(device_mac=SWITCH)),
        ("wyze_sdk.switches.turn_on", lambda: client.switches.turn_on(
            device_mac=SWITCH, device_model="LD_SS1")),
        ("wyze_sdk.switches.turn_off", lambda: client.switches.turn_off(
            device_mac=SWITCH, device_model="LD_SS1")),
        ("wyze_sdk.thermostats.get_sensors", lambda: client.thermostats.get_sensors(
            device_mac=THERMOSTAT, device_model="CO_EA1")),
        ("wyze_sdk.vacuums.list", client.vacuums.list),
        ("wyze_sdk.vacuums.info", lambda: client.vacuums.info(device_mac=VACUUM)),
        ("wyze_sdk.vacuums.get_maps", lambda: client.vacuums.get_maps(device_mac=VACUUM)),
        ("wyze_sdk.vacuums.set_current_map", lambda: client.vacuums.set_current_map(
            device_mac=VACUUM, map_id=731592017)),
        ("wyze_sdk.vacuums.clean", lambda: client.vacuums.clean(device_mac=VACUUM)),
        ("wyze_sdk.vacuums.dock", lambda: client.vacuums.dock(device_mac=VACUUM)),
        ("wyze_sdk.vacuums.get_sweep_records", lambda: client.vacuums.get_sweep_records(
            device_mac=VACUUM, since=datetime.now())),
        ("wyze_sdk.scales.list", client.scales.list),
        ("wyze_sdk.scales.info", lambda: client.scales.info(device_mac=SCALE_S)),
        ("wyze_sdk.scales.get_records", lambda: client.scales.get_records(
            user_id=PLAIN.user_id, start_time=since)),
        ("wyze_sdk.scales.add_weight_record", lambda: client.scales.add_weight_record(
            device_mac=SCALE, mac=SCALE.rsplit(".", 1)[-1], user_id=PLAIN.user_id,
            measure_ts=datetime.now(), weight=80.2)),
        ("wyze_sdk.scales.delete_record", lambda: client.scales.delete_record(
            data_id=48211907)),
        ("wyze_sdk.scales.set_unit", lambda: client.scales.set_unit(
            device_mac=SCALE, device_model="JA.SC2", firmware_ver="1.0.35",
            mac=SCALE.rsplit(".", 1)[-1], unit="kg", broadcast=1)),
        ("wyze_sdk.scales.get_goal_weight", lambda: client.scales.get_goal_weight(
            user_id=PLAIN.user_id)),
        ("wyze_sdk.scales.delete_goal_weight", lambda: client.scales.delete_goal_weight(
            user_id=PLAIN.user_id)),
        *sdk_lock_code_calls(client),
        ("wyze_sdk.Client.refresh_token", client.refresh_token),
    ]


async def wyzeapy_calls(outcomes: dict[str, str]) -> None:
    async def run(name: str, call: Any) -> Any:
        try:
            result = await call
        except Exception as exc:  # every failure is reported by name below
            outcomes[name] = f"{type(exc).__name__}: {exc}"[:300]
            return None
        outcomes[name] = "ok"
        return result

    client = await wyzeapy.Wyzeapy.create()
    await run("wyzeapy.Wyzeapy.login", client.login(
        PLAIN.email, PLAIN.password, PLAIN.key_id, PLAIN.api_key))
    await run("wyzeapy.Wyzeapy.unique_device_ids", client.unique_device_ids)
    await run("wyzeapy.Wyzeapy.notifications_are_on", client.notifications_are_on)
    await run("wyzeapy.Wyzeapy.enable_notifications", client.enable_notifications())
    cameras = await client.camera_service
    found = await run("wyzeapy.CameraService.get_cameras", cameras.get_cameras()) or []
    camera = next((c for c in found if c.mac == CAMERA), None)
    if camera is not None:
        await run("wyzeapy.CameraService.update", cameras.update(camera))
        await run("wyzeapy.CameraService.turn_off", cameras.turn_off(camera))
        await run("wyzeapy.CameraService.turn_on", cameras.turn_on(camera))
    floodlight = next((c for c in found if c.mac == FLOODLIGHT), None)
    if floodlight is not None:  # a WebRTC camera on devicemgmt and the v4 stream call
        await run("wyzeapy.CameraService.get_stream_info", cameras.get_stream_info(floodlight))
        await run("wyzeapy.CameraService.update(devicemgmt)", cameras.update(floodlight))
        await run("wyzeapy.CameraService.turn_off(devicemgmt)", cameras.turn_off(floodlight))
        await run("wyzeapy.CameraService.turn_on_notifications",
                  cameras.turn_on_notifications(floodlight))
    hms = await client.hms_service
    if await run("wyzeapy.HMSService.has_hms", hms.has_hms):
        from wyzeapy.services.hms_service import HMSMode

        await run("wyzeapy.HMSService.set_mode(away)", hms.set_mode(HMSMode.AWAY))
        mode = await run("wyzeapy.HMSService.update", hms.update(hms.hms_id))
        outcomes["wyzeapy.HMSService armed"] = "ok" if mode is HMSMode.AWAY else str(mode)
        await run("wyzeapy.HMSService.set_mode(disarm)", hms.set_mode(HMSMode.DISARMED))
    switches = await client.switch_service
    plugs = await run("wyzeapy.SwitchService.get_switches", switches.get_switches()) or []
    plug = next((p for p in plugs if p.mac == PLUG), None)
    if plug is not None:
        await run("wyzeapy.SwitchService.update", switches.update(plug))
        await run("wyzeapy.SwitchService.turn_on", switches.turn_on(plug))
    bulbs = await client.bulb_service
    found = await run("wyzeapy.BulbService.get_bulbs", bulbs.get_bulbs()) or []
    bulb = next((b for b in found if b.mac == BULB), None)
    if bulb is not None:
        await run("wyzeapy.BulbService.update", bulbs.update(bulb))
    sensors = await client.sensor_service
    await run("wyzeapy.SensorService.get_sensors", sensors.get_sensors())
    locks = await client.lock_service
    found = await run("wyzeapy.LockService.get_locks", locks.get_locks()) or []
    lock = next((x for x in found if x.mac == LOCK), None)
    if lock is not None:
        await run("wyzeapy.LockService.update", locks.update(lock))
        await run("wyzeapy.LockService.unlock", locks.unlock(lock))
        await run("wyzeapy.LockService.lock", locks.lock(lock))
    thermostats = await client.thermostat_service
    found = await run("wyzeapy.ThermostatService.get_thermostats",
                      thermostats.get_thermostats()) or []
    thermostat = next((t for t in found if t.mac == THERMOSTAT), None)
    if thermostat is not None:
        await run("wyzeapy.ThermostatService.update", thermostats.update(thermostat))
        await run("wyzeapy.ThermostatService.set_cool_point",
                  thermostats.set_cool_point(thermostat, 77))
    walls = await client.wall_switch_service
    found = await run("wyzeapy.WallSwitchService.get_switches", walls.get_switches()) or []
    wall = next((w for w in found if w.mac == SWITCH), None)
    if wall is not None:
        await run("wyzeapy.WallSwitchService.update", walls.update(wall))
        await run("wyzeapy.WallSwitchService.turn_on", walls.turn_on(wall))
    sprinklers = await client.irrigation_service
    found = await run("wyzeapy.IrrigationService.get_irrigations",
                      sprinklers.get_irrigations()) or []
    sprinkler = next((x for x in found if x.mac == SPRINKLER), None)
    if sprinkler is not None:
        await run("wyzeapy.IrrigationService.update", sprinklers.update(sprinkler))
        await run("wyzeapy.IrrigationService.get_controller_info",
                  sprinklers.get_controller_info(sprinkler))
        await run("wyzeapy.IrrigationService.start_zone", sprinklers.start_zone(
            sprinkler, 2, 300))
        runs = await run("wyzeapy.IrrigationService.get_schedule_runs",
                         sprinklers.get_schedule_runs(sprinkler))
        if runs is not None and runs.get("zone_number") != 2:
            outcomes["wyzeapy.IrrigationService.get_schedule_runs"] = f"not zone 2: {runs}"
        await run("wyzeapy.IrrigationService.stop_running_schedule",
                  sprinklers.stop_running_schedule(sprinkler))
        current = await run("wyzeapy.IrrigationService.get_current_run",
                            sprinklers.get_current_run(sprinkler))
        if current is not None:
            outcomes["wyzeapy.IrrigationService.get_current_run"] = f"still running: {current}"
    purifiers = await client.air_purifier_service
    found = await run("wyzeapy.AirPurifierService.get_air_purifiers",
                      purifiers.get_air_purifiers()) or []
    purifier = next((x for x in found if x.mac == PURIFIER), None)
    if purifier is not None:
        updated = await run("wyzeapy.AirPurifierService.update", purifiers.update(purifier))
        if updated is not None and (updated.aqi != 23 or updated.max_hourly_aqi is None):
            outcomes["wyzeapy.AirPurifierService.update"] = \
                f"aqi {updated.aqi}, max hourly {updated.max_hourly_aqi}"


def test_real_clients_succeed_through_the_capture_proxy_and_every_interaction_validates(
        proxy: Any, tmp_path: Path) -> None:
    outcomes: dict[str, str] = {}
    with route_wyze_hosts(proxy=proxy.proxy_url, ca=proxy.ca_cert):
        client = wyze_sdk.Client(email=PLAIN.email, password=PLAIN.password,
                                 key_id=PLAIN.key_id, api_key=PLAIN.api_key)
        outcomes["wyze_sdk.Client.login"] = "ok"
        for name, call in sdk_calls(client):
            try:
                call()
                outcomes[name] = "ok"
            except Exception as exc:  # every failure is reported by name below
                outcomes[name] = f"{type(exc).__name__}: {exc}"[:300]
        asyncio.run(wyzeapy_calls(outcomes))
    proxy.stop()

    failed = {name: why for name, why in outcomes.items() if why != "ok"}
    assert not failed, "\n".join(f"{n}: {w}" for n, w in failed.items())
    assert len(outcomes) >= 40, sorted(outcomes)

    path = tmp_path / "captures" / "clients.yaml"
    interactions = load_cassette(path).interactions
    problems = [f"{n} {i['request']['method']} {i['request']['uri']}: {p}"
                for n, i in enumerate(interactions) for p in check_interaction(i)]
    problems = [p for p in problems if not _not_ours(p)]
    assert not problems, "\n".join(problems)
    undocumented = {f for f in set(drift.drift([str(path)], load_catalog()))
                    - set(KNOWN_UNDOCUMENTED) if not _scrubbed(f)}
    assert not undocumented, "\n".join(f"{e} {side} {p}" for e, side, p in sorted(undocumented))
