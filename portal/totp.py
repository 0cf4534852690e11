"""Authenticator-app codes and enrolment for the demo, benchmarks and tests.

allauth checks the codes people type; the demo (`manage.py demo_totp` and the demo staff's
shared secret), the benchmarks and the tests must make one, and give an account an
authenticator app without a browser. allauth's public API offers neither (its helpers live in
`allauth.mfa.totp.internal`, which may change in any release), so: codes made by RFC 6238 from
allauth's own settings, and the authenticator saved through allauth's model and its adapter's
encryption, as allauth saves one when a person enrols (tests/portal/test_mfa.py signs in
with both).
"""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa import app_settings
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator


def code_at(secret: str, moment: float) -> str:
    """The code an authenticator app with SECRET (base 32) shows at MOMENT (a Unix time)."""
    counter = int(moment) // app_settings.TOTP_PERIOD
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    digits = app_settings.TOTP_DIGITS
    return f"{value % 10**digits:0{digits}}"


def current_code(secret: str) -> str:
    return code_at(secret, time.time())


def seconds_left_in_period() -> float:
    """How long the code shown now stays the one shown."""
    return app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD


def add_authenticator_app(user, secret: str) -> Authenticator:
    """Enrol USER with an authenticator app holding SECRET (base 32)."""
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.TOTP,
        data={"secret": get_adapter().encrypt(secret)},
    )
