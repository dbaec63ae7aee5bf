"""``homevisit-server publish-form FILE.json``: a new form version into the folder ``GET /forms`` serves.

The file is what ``homevisit forms import`` wrote from an XLSForm workbook, or what the
console's upload converted from the workbook itself with the same converter
(``app.contract.forms.xlsform``), so every question and expression is checked already.
Here the server checks what publishing needs: the shape (id, whole-number version, title, pages), and
that a published version is never changed — the same content again is a no-op, other
content under a published version is refused, and a new version must be higher than
every published one, so responses keep the version they were started with. Translations
(``*_en``) are no part of a version's content (``same_version``): a file that only adds or
corrects English replaces the published one's, and laptops pick it up at their next sync.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from app.contract.forms.model import same_version

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class PublishRefused(ValueError):
    """The file cannot be published; the message says why, in Chinese.

    ``template`` and ``values`` keep the reason apart from its wording, so the console
    shows it in its reader's language (the English is in server/console/i18n.py).
    """

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(template.format(**values))


def add_parser(sub: Any, common: Any) -> None:
    """Register ``publish-form`` on the server command's subparsers."""
    p = sub.add_parser("publish-form", help="publish a form version (JSON from `homevisit forms import`)")
    common(p)
    p.add_argument("file", type=Path)
    p.add_argument(
        "--forms-dir", type=Path, help="folder GET /forms serves (default: the server's forms_dir)"
    )


def _published(forms_dir: Path, form_id: str) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for path in sorted(forms_dir.glob("*.json")) if forms_dir.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("id") == form_id and isinstance(data.get("version"), int):
            out[data["version"]] = data
    return out


def publish_form(forms_dir: Path, data: Any) -> tuple[Path, bool]:
    """Write ``data`` as ``<id>.v<version>.json`` into ``forms_dir``; returns (path, newly published)."""
    if not isinstance(data, dict):
        raise PublishRefused("表单文件应是一个 JSON 对象")
    form_id, version = data.get("id"), data.get("version")
    if not isinstance(form_id, str) or not _ID.match(form_id):
        raise PublishRefused("表单 id 应由小写字母、数字和下划线组成")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PublishRefused("version 应为正整数")
    if not data.get("title") or not isinstance(data.get("pages"), list) or not data["pages"]:
        raise PublishRefused("表单缺少中文标题 title 或页面 pages")
    published = _published(forms_dir, form_id)
    target = forms_dir / f"{form_id}.v{version}.json"
    new = version not in published
    if not new:
        if published[version] == data:
            return target, False
        if not same_version(published[version], data):
            raise PublishRefused(
                "表单 {form} 第 {version} 版已发布且内容不同；已发布的版本不能修改，请使用更大的版本号",
                form=form_id,
                version=version,
            )
    elif published and version < max(published):
        raise PublishRefused(
            "表单 {form} 已发布到第 {latest} 版，新版本号应更大", form=form_id, latest=max(published)
        )
    forms_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target, new


def run(args: argparse.Namespace, settings: Any) -> int:
    """The ``publish-form`` command: 0 published (or already), 2 refused with one Chinese line."""
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"错误：无法读取“{args.file}”：{exc.strerror or exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"错误：“{args.file}”不是有效的 JSON：{exc}", file=sys.stderr)
        return 2
    try:
        path, new = publish_form(args.forms_dir or settings.forms_dir, data)
    except PublishRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(
        json.dumps(
            {"published": str(path), "form_id": data["id"], "version": data["version"], "new": new},
            ensure_ascii=False,
        )
    )
    return 0
