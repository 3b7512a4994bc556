"""Public constants of the Wyze apps: protocol facts, not secrets.

They are published in open-source clients (sources in ../shared/reference/
wyze-protocol-facts.md sections 2-4), identify an app build rather than a person, and are
what a researcher needs to see in a capture. Redaction keeps them; the secret linter allows
them.
"""

from __future__ import annotations

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

# sc (per app build) and sv (per endpoint) envelope constants seen in public clients.
SC_VALUES = {
    "f5609af3fa9541fd82a486df5fd9965a",  # 2018 login
    "9f275790cab94a72bd206c8876429f3c",  # iOS-style family
    "a626948714654991afd3c0dbd7cdb901",  # Android-style family (wyze-sdk)
    "01dd431d098546f9baf5233724fa2ee2",  # 2018 iOS app 1.3.116
}
SV_VALUES = {
    "1ee66ee1fe03403b9ded3fe2fa869f2a",
    "41267de22d1847c8b99bfba2658f88d7",
    "c417b62d72ee44bf933054bdca183e77",
    "d91914dd28b7492ab9dd17f7707d35a3",
    "6e054e04b7144c90af3b1281b6533492",
    "759245b61abd49128585e95f30e61add",
    "172431db943a4448a8d818c035df0404",
    "81d1abc794ba45a39fdd21233d621e84",
    "90fea740c4c045f9a3084c17cee71d46",
    "1df2807c63254e16a06213323fe8dec8",
    "be9e90755d3445d0a4a583c8314972b6",
    "44b6d5640c4d4978baba65c8ab9a6d6e",
    "a8290b86080a481982b97045b8710611",
    "ddb9baef0d7f44379cd6bfaa8698e682",
    "011a6b42d80a4f32b4cc24bb721c9c96",
    "5e02224ae0c64d328154737602d28833",
    "bdcb412e230049c0be0916e75022d3f3",
    "1e9a7d77786f4751b490277dc3cfa7b5",
    "17eff072fba0469a800502cab514412e",
    "ddd49252f61944dc9c46d1a770a5980f",
    "1b3e8bfc7f654e1eaddf8db22090034f",
    "8670b7ddb88845468b77ef4d383bfd59",
    "bf55bbf1db0e4fa18cc7a13022de33a3",
    "9d74946e652647e9b6c9d59326aef104",
    "e1fe392906d54888a9b99b88de4162d7",
    "782ced6909a44d92a1f70d582bbe88be",
    "c86fa16fc99d4d6580f82ef3b942e586",
    "01463873df804629b15694df13126d31",
    "096c58c9581e4f15b13114d86b2e5233",
    "3c20b9324d644b0ba24780480b99147e",
    "b4583dfac761482e91fbed807e529092",
    "69c02a692d2e44e4930d96ca260a4d54",
    "31556dac3f9847b0b28504cbfcbe7c95",
    "243dbcb84bf84f9a9f89974d179d1cab",
    "5ff0607e14f8469e8c8b45c3c48e4ba9",
    "b44dbac85c634f469e3f4b0aa4f21964",
    "2c0edc06d4c5465b8c55af207144f0d9",
    "0bc2c3bedf6c4be688754c9ad42bbf2e",
    "e8e1db44128f4e31a2047a8f5f80b2bd",
}

PUBLIC_VALUES = APP_API_KEYS | APP_IDS | SIGNING_SECRETS | SC_VALUES | SV_VALUES

# Wyze hosts recorded by default: the 2018 API on any port, and every wyzecam/wyze host.
DEFAULT_HOSTS = ("api.wyzecam.com", "*.wyzecam.com", "*.wyze.com")
