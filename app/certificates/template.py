"""Certificate wording (titles, labels, footer note) loaded from resources/certificates/template.json.

A federation changes the wording by editing that file; the layout code only
looks labels up by key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.domain.enums import ProjectKind
from app.paths import resources_dir

TEMPLATE_PATH = resources_dir() / "certificates" / "template.json"


@dataclass(frozen=True, slots=True)
class CertificateTemplate:
    """The texts printed on a certificate."""

    titles: Mapping[str, str]
    labels: Mapping[str, object]
    footer_note: str = ""
    satisfaction_options: tuple[str, ...] = ("满意", "基本满意", "不满意")
    issuer_default: str = ""
    continued: str = "（续页）"
    extra: Mapping[str, object] = field(default_factory=dict)
    # Category and level digits of the certificate number only where the federation's form asks.
    show_category_level: bool = False
    # Server address the QR code points to when the profile has none (``check_url``).
    check_url_base: str = ""
    notice: Mapping[str, object] = field(default_factory=dict)

    def notice_text(self, key: str) -> str:
        """A text of the 整改通知单 by key (the key itself when missing, so a typo shows)."""
        value = self.notice.get(key, key)
        return value if isinstance(value, str) else key

    def notice_list(self, key: str) -> list[str]:
        value = self.notice.get(key)
        if not isinstance(value, list):
            raise ValueError(f"整改通知单模板缺少“{key}”")
        return [str(v) for v in value]

    def title(self, kind: ProjectKind | str) -> str:
        """The form title for a project kind; falls back to a generic title."""
        kind = ProjectKind(kind)
        return self.titles.get(kind.value, f"残疾人家庭{kind.label}竣工验收单")

    def label(self, key: str) -> str:
        """A label by key; a missing key prints the key, so a typo in the JSON is visible, not fatal."""
        value = self.labels.get(key, key)
        return value if isinstance(value, str) else key

    def columns(self, key: str) -> list[str]:
        """A list of column headings by key."""
        value = self.labels.get(key)
        if not isinstance(value, list):
            raise ValueError(f"验收单模板缺少表头“{key}”")
        return [str(v) for v in value]


def parse_template(raw: Mapping[str, object]) -> CertificateTemplate:
    """Build a template from the JSON structure of ``template.json``."""
    known = {
        "titles",
        "labels",
        "footer_note",
        "satisfaction_options",
        "issuer_default",
        "continued",
        "version",
        "show_category_level",
        "check_url_base",
        "notice",
    }
    return CertificateTemplate(
        titles=dict(raw.get("titles", {})),  # type: ignore[arg-type]
        labels=dict(raw.get("labels", {})),  # type: ignore[arg-type]
        footer_note=str(raw.get("footer_note", "")),
        satisfaction_options=tuple(raw.get("satisfaction_options", ("满意", "基本满意", "不满意"))),  # type: ignore[arg-type]
        issuer_default=str(raw.get("issuer_default", "")),
        continued=str(raw.get("continued", "（续页）")),
        extra={k: v for k, v in raw.items() if k not in known},
        show_category_level=bool(raw.get("show_category_level", False)),
        check_url_base=str(raw.get("check_url_base", "")),
        notice=dict(raw.get("notice", {})),  # type: ignore[arg-type]
    )


@lru_cache(maxsize=4)
def load_template(path: Path = TEMPLATE_PATH) -> CertificateTemplate:
    """Load (once per path) the certificate wording."""
    return parse_template(json.loads(Path(path).read_text(encoding="utf-8")))
