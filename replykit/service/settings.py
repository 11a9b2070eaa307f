"""What `replykit serve` was told: passed to uvicorn's worker processes through one environment variable."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from ..kit import DEFAULT_MAX_CHARS

ENV = "REPLYKIT_SERVICE_SETTINGS"
DEFAULT_MAX_BODY_BYTES = 1_048_576  # a 100,000-character Cyrillic draft as \u escapes fits


@dataclass(frozen=True)
class ServiceSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    templates: str | None = None
    rules: str | None = None
    languagetool_url: str | None = None
    # Keys themselves never travel in settings: each worker reads REPLYKIT_API_KEYS and the key file.
    api_key_file: str | None = None
    no_auth: bool = False
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_chars: int = DEFAULT_MAX_CHARS
    supervisor_pid: int | None = None  # set with several workers: POST /v1/reload signals it to reload them all
    metrics_dir: str | None = None  # prometheus_client's multiprocess folder, with several workers

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> "ServiceSettings":
        data = json.loads(os.environ[ENV])
        data["cors_origins"] = tuple(data.get("cors_origins") or ())
        return cls(**data)
