"""API keys: `Authorization: Bearer <key>`, keys kept only as SHA-256 digests, compared in constant time."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
from pathlib import Path
from typing import Iterable

from ..errors import InputError

ENV = "REPLYKIT_API_KEYS"


class KeyRing:
    """The accepted keys' digests; the keys themselves are not kept."""

    def __init__(self, keys: Iterable[str]):
        self._digests = tuple({hashlib.sha256(k.encode("utf-8")).digest() for k in keys if k})

    @classmethod
    def from_sources(cls, env_value: str | None, key_file: str | None) -> "KeyRing":
        """Keys from REPLYKIT_API_KEYS (comma-separated) and a key file (one per line, # comments)."""
        keys = [k.strip() for k in (env_value or "").split(",")]
        if key_file:
            try:
                text = Path(key_file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"{key_file}: cannot read the API key file ({exc})") from None
            keys += [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
        return cls(keys)

    @classmethod
    def from_environment(cls, key_file: str | None) -> "KeyRing":
        return cls.from_sources(os.environ.get(ENV), key_file)

    def __len__(self) -> int:
        return len(self._digests)

    def allows(self, authorization: str | None) -> bool:
        """Whether an Authorization header value carries one of the keys."""
        if not authorization or not authorization[:7].lower() == "bearer ":
            return False
        presented = hashlib.sha256(authorization[7:].strip().encode("utf-8", "surrogateescape")).digest()
        # Every digest is compared, whichever matches: the time does not tell which key was close.
        found = False
        for digest in self._digests:
            found |= hmac.compare_digest(digest, presented)
        return found


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
