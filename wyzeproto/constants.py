"""Public constants of the Wyze apps: protocol facts, not secrets.

They are published in open-source clients (sources in ../shared/reference/
wyze-protocol-facts.md sections 2-4), identify an app build rather than a person, and are
what a researcher needs to see in a capture. Redaction keeps them; the secret linter allows
them.
"""

from __future__ import annotations

from wyzeproto.envelope import IDENTITIES

# The apps' own X-API-Key header values (not a user's developer key).
APP_API_KEYS = {
    "WMXHYf79Nr5gIlt3r0r7p9Tcw5bvs6BB4U8O8nGJ",  # iOS app
    "RckMFKbsds5p6QY3COEXc2ABwNTYY0q18ziEiSEm",  # Android app
}

# appid header values of the signed services, and the signing secrets the clients publish.
APP_IDS = {
    "9319141212m2ik",
    "venp_4c30f812828de875",
    "strv_e7f78e9e7738dc50",
    "umgm_78ae6013d158c4a5",
}
SIGNING_SECRETS = {
    "wyze_app_secret_key_132",
    "CVCSNoa0ALsNEpgKls6ybVTVOmGzFoiq",
    "gbJojEBViLklgwyyDikx5ztSvKBXI5oU",
    "275965684684dbdaf29a0ed9",
    "4deekof1ba311c5c33a9cb8e12787e8c",
}

# sc (per app build) and sv (per endpoint) envelope constants seen in public clients. The
# builds the client speaks as own theirs (wyzeproto/envelope.py); listed here are only the
# values no such build sends, each with where it comes from (protocol facts sections 2a, 4).
_OTHER_SC = {
    "01dd431d098546f9baf5233724fa2ee2",  # 2018 iOS app 1.3.116 (Charles capture; bridge)
}
_OTHER_SV = {
    # Android-style family (sc a626...), endpoints wyze-sdk's build here does not call:
    "172431db943a4448a8d818c035df0404",  # /app/user/change_password
    "90fea740c4c045f9a3084c17cee71d46",  # /app/device/get_device_info (v1)
    "ddb9baef0d7f44379cd6bfaa8698e682",  # /app/v2/device_list/set_property_list (wyzeapy)
    "1e9a7d77786f4751b490277dc3cfa7b5",  # /app/v2/device_event/set_read_state_list
    "17eff072fba0469a800502cab514412e",  # /app/v2/plug/usage_record_list
    "ddd49252f61944dc9c46d1a770a5980f",  # /app/v2/device/timer/get
    "1b3e8bfc7f654e1eaddf8db22090034f",  # /app/v2/device/timer/set
    "8670b7ddb88845468b77ef4d383bfd59",  # /app/v2/device/timer/cancel
    "bf55bbf1db0e4fa18cc7a13022de33a3",  # /app/v2/device_group/timer/get
    # iOS-style family (sc 9f27...):
    "41267de22d1847c8b99bfba2658f88d7",  # old /app/user/login (ha-wyzeapi 2019-2021)
    "e1fe392906d54888a9b99b88de4162d7",  # default sv of kroo and the bridge
    # 2018 iOS app 1.3.116 (sc 01dd...; Charles capture, the last three from the bridge):
    "01463873df804629b15694df13126d31",  # /app/device/get_device_list
    "096c58c9581e4f15b13114d86b2e5233",  # /app/user/get_user_info
    "3c20b9324d644b0ba24780480b99147e",  # /app/user/refresh_token
    "b4583dfac761482e91fbed807e529092",  # /app/system/set_app_info
    "69c02a692d2e44e4930d96ca260a4d54",  # /app/user/use_app
    "31556dac3f9847b0b28504cbfcbe7c95",  # /app/device/get_share_info_list
    "243dbcb84bf84f9a9f89974d179d1cab",  # /app/device/get_alarm_info_list
    "5ff0607e14f8469e8c8b45c3c48e4ba9",  # /app/device/upload_device_connect_info
    "b44dbac85c634f469e3f4b0aa4f21964",  # /app/system/get_allow_binding_device_list
    "2c0edc06d4c5465b8c55af207144f0d9",  # /app/v2/auto/run_action
    "0bc2c3bedf6c4be688754c9ad42bbf2e",  # /app/v2/device/get_device_Info
    "e8e1db44128f4e31a2047a8f5f80b2bd",  # /app/device/set_device_Info
}
SC_VALUES = {identity.sc for identity in IDENTITIES} | _OTHER_SC
SV_VALUES = {sv for identity in IDENTITIES for sv in identity.sv_values()} | _OTHER_SV

PUBLIC_VALUES = APP_API_KEYS | APP_IDS | SIGNING_SECRETS | SC_VALUES | SV_VALUES

# Wyze hosts recorded by default: the 2018 API on any port, and every wyzecam/wyze host.
DEFAULT_HOSTS = ("api.wyzecam.com", "*.wyzecam.com", "*.wyze.com")
