"""Per-profile settings kept in ``settings.json`` beside the database."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path


@dataclass
class Settings:
    """What a user or administrator may change without touching code."""

    language: str = "zh_CN"
    idle_lock_minutes: int = 10
    server_url: str = ""
    auto_sync: bool = True
    federation_name: str = "衢州市残疾人联合会"
    device_prefix: str = ""
    # Roster import: {normalised column header: roster field} as the user last mapped it.
    roster_mapping: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, home: Path) -> Settings:
        path = home / "settings.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})

    def save(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=home, prefix=".settings-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(self), fh, ensure_ascii=False, indent=2)
        os.replace(tmp, home / "settings.json")
