"""Resident ID numbers (居民身份证号, GB 11643) and the keyed fingerprint kept instead of them.

The full number never reaches the repository. At intake it is checked (ISO 7064 MOD 11-2),
cross-checked against birth month and gender, and turned into an HMAC fingerprint whose key lives
outside git, so that the same person is found again without the number being stored.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
ID18 = re.compile(r"^\d{17}[\dX]$")
ID15 = re.compile(r"^\d{15}$")
# a full ID number in text, as people paste it: 18 characters, maybe in groups split by spaces
# or dashes, or the 15-digit first generation; not inside a longer token
_CANDIDATE = re.compile(r"\d[\d -]{13,}[\dXx]")
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(?:\d[ -]?){14}\d(?:(?:[ -]?\d){2}[ -]?[\dXx])?(?![0-9A-Za-z])")


def check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def is_valid18(s: str) -> bool:
    return bool(ID18.match(s)) and check_char(s[:17]) == s[17] and _birth_ok(s[6:14])


def _birth_ok(yyyymmdd: str) -> bool:
    try:
        dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class IdInfo:
    number18: str  # upgraded if it came as 15 digits
    birth: dt.date
    gender: str  # 男 / 女
    from15: bool


class IdError(ValueError):
    pass


def parse(raw: str) -> IdInfo:
    """Validate an ID number (18 digits, or first-generation 15) and read birth date and gender."""
    s = raw.strip().upper().replace(" ", "")
    from15 = False
    if ID15.match(s):
        if not _birth_ok("19" + s[6:12]):
            raise IdError("15 位身份证号中的出生日期不存在")
        body = s[:6] + "19" + s[6:]
        s = body + check_char(body)
        from15 = True
    elif not ID18.match(s):
        raise IdError(f"身份证号应为 18 位（或老式 15 位），现为 {len(s)} 位")
    elif not _birth_ok(s[6:14]):
        raise IdError("身份证号中的出生日期不存在")
    elif check_char(s[:17]) != s[17]:
        raise IdError(f"身份证号校验位不对（按前 17 位应为 {check_char(s[:17])}），请核对原件")
    birth = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    return IdInfo(s, birth, "男" if int(s[16]) % 2 else "女", from15)


def id_number_line(text: str) -> int | None:
    """The line of the first full ID number (valid check digit, or a valid 15-digit one) in a
    text, written plainly or split by spaces or dashes; None if there is none."""
    if not _CANDIDATE.search(text):  # a cheap first look: most texts hold no long digit run
        return None
    for m in _ID_LIKE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group()).upper()
        if len(digits) == 18 and is_valid18(digits) or len(digits) == 15 and _birth_ok("19" + digits[6:12]):
            return text.count("\n", 0, m.start()) + 1
    return None


# --- the fingerprint key ---------------------------------------------------------------------

KEY_ENV = "SILVERPOOL_KEY_FILE"
DEFAULT_KEY_PATH = Path.home() / ".config" / "silverpool" / "fingerprint.key"


class FingerprintKeyError(Exception):
    pass


def key_id(key: bytes) -> str:
    """A short public name of a key, so the pool can tell a wrong key from no match."""
    return hashlib.sha256(b"silverpool-key-id:" + key).hexdigest()[:12]


def read_key(path: Path) -> bytes:
    data = path.read_bytes().strip()
    if len(data) < 32:
        raise FingerprintKeyError(f"指纹密钥 {path} 太短（至少 32 个字符），请用 silverpool key init 重新生成")
    return data


def find_key(explicit: Path | None, demo_key: Path | None) -> tuple[bytes, Path]:
    """The key: --key, then $SILVERPOOL_KEY_FILE, then ~/.config, then the pool's demo key."""
    candidates = [explicit, Path(os.environ[KEY_ENV]) if os.environ.get(KEY_ENV) else None, DEFAULT_KEY_PATH, demo_key]
    for c in candidates:
        if c is not None and c.is_file():
            return read_key(c), c
    if explicit is not None:
        raise FingerprintKeyError(f"找不到指纹密钥文件 {explicit}")
    raise FingerprintKeyError(
        f"找不到指纹密钥：请用 silverpool key init 生成（默认存于 {DEFAULT_KEY_PATH}，不进 git），"
        f"或用 --key / 环境变量 {KEY_ENV} 指定"
    )


def new_key() -> bytes:
    return secrets.token_urlsafe(48).encode()


def fingerprint(key: bytes, number18: str) -> str:
    """Keyed fingerprint of an ID number: base32 letters and digits 2-7, so never ID-shaped."""
    # one-shot HMAC, and only the 15 bytes that make the 24 characters kept (base32 is slow)
    return base64.b32encode(hmac.digest(key, number18.encode(), "sha256")[:15]).decode().lower()
