"""The platform profile in the Wyze cloud stand-in: who a token belongs to and their body data.

`/app/v2/platform/get_user_profile` (platform and scale hosts) and `update_user_profile`
(scale and pluto hosts), olive-signed. wyze-sdk `service/scale_service.py`
update_user_profile sends logo_url, nickname, gender, birthDate, height, height_unit,
body_type and occupation; wyzeapy reads `data.notification`. What is written lives in
`Account.profile` (standin/state.py). INFERRED, no public body: the defaults below.
"""

from __future__ import annotations

from typing import Any

from standin import signed
from standin.calls import Call
from standin.replies import Reply
from standin.state import Account

PROFILE_DEFAULTS: dict[str, Any] = {"logo_url": "", "gender": "", "birthDate": "",
                                    "height": "175", "height_unit": "cm", "body_type": "",
                                    "occupation": "", "notification": False}


def user_profile(account: Account) -> dict[str, Any]:
    """The platform profile of an account, with what update_user_profile wrote."""
    return {"user_id": account.user_id, "email": account.email, "nickname": account.nickname,
            **PROFILE_DEFAULTS, **account.profile}


def get_user_profile(account: Account, params: dict[str, Any], call: Call) -> Reply:
    """The profile with the body data the scales use."""
    return signed.olive(user_profile(account))


def update_user_profile(account: Account, params: dict[str, Any], call: Call) -> Reply:
    """Write the body data wyze-sdk sends (nickname, gender, birthDate, height ...)."""
    changed = {k: v for k, v in params.items() if k in PROFILE_DEFAULTS or k == "nickname"}
    if "nickname" in changed:
        account.nickname = str(changed.pop("nickname"))
    account.profile.update(changed)
    return signed.olive({})
