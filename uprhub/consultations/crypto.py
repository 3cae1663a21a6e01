"""Keys for people's data in consultations: identity encrypted at rest, keyed hashes.

Identity (name, e-mail, phone) is encrypted with `cryptography`'s MultiFernet under the keys
in UPRHUB_CONSULTATION_KEYS (comma-separated Fernet keys, newest first). Rotation: put a new
key first and keep the old ones after it; everything still decrypts, new writes use the new
key, and `rotate_token` re-encrypts a value under it. Without the setting a key is derived
from SECRET_KEY so a development instance works at once; `check --deploy` warns (W-C01),
since then a leaked SECRET_KEY also opens the identities.

Receipt codes and client addresses are never stored: only HMACs of them. Receipt hashes are
keyed by the same keys (every key is tried on lookup, so rotation keeps codes working); the
address hash uses a key that changes every day, so two days' hashes cannot be linked.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
import secrets

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

# No 0/O/1/I/L: read aloud or copied from paper without mistakes. 20 symbols = 100 bits.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 20


def _raw_keys() -> list[str]:
    keys = [key.strip() for key in settings.UPRHUB_CONSULTATION_KEYS if key.strip()]
    if keys:
        return keys
    digest = hashlib.sha256(b"uprhub.consultations.identity:" + settings.SECRET_KEY.encode())
    return [base64.urlsafe_b64encode(digest.digest()).decode()]


def uses_derived_key() -> bool:
    return not any(key.strip() for key in settings.UPRHUB_CONSULTATION_KEYS)


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in _raw_keys()])


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode()


def rotate_token(token: str) -> str:
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def new_receipt_code() -> str:
    """An unguessable code, shown once: 'ABCD-EFGH-JKMN-PQRS-TUVW'."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


_CODE_SHAPE = re.compile(rf"^[{_ALPHABET}]{{4}}(?:-[{_ALPHABET}]{{4}}){{{_CODE_LENGTH // 4 - 1}}}$")


def is_receipt_code(code: str) -> bool:
    """Whether `code` has exactly the shape `new_receipt_code` makes (a code made on a
    facilitator's device, facilitate.js, must be as strong as one made here)."""
    return bool(_CODE_SHAPE.match(code or ""))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in _ALPHABET)


def _hmac(key: str, purpose: str, value: str) -> str:
    return hmac.new(f"{purpose}:{key}".encode(), value.encode(), hashlib.sha256).hexdigest()


def receipt_hash(code: str) -> str:
    """The stored form of a receipt code (under the newest key)."""
    return _hmac(_raw_keys()[0], "receipt", normalise_code(code))


def receipt_hashes(code: str) -> list[str]:
    """Every form the code may be stored in (one per key), for lookup across rotations."""
    return [_hmac(key, "receipt", normalise_code(code)) for key in _raw_keys()]


def address_hash(address: str, day: datetime.date) -> str:
    """An HMAC of a client address with a key of that day only (abuse patterns, no IP)."""
    return _hmac(f"{settings.SECRET_KEY}:{day.isoformat()}", "address", address)
