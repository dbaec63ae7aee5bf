"""``homevisit forms import`` / ``homevisit forms export``: forms from and to XLSForm workbooks.

``import FILE.xlsx [--out DIR]`` checks the workbook as the engine loads any form
and writes ``<form_id>.v<version>.json`` into DIR (default: the current folder),
the file a federation publishes; a published version is never changed, so an
existing file or shipped form of that id and version with other content is refused.
``export [--form ID] [--version N] --out PATH`` writes the shipped forms as XLSForm
(one workbook; or, without ``--form``, ``<id>.v<version>.xlsx`` for the latest of each
into the folder PATH). Bad input: one Chinese line on stderr, exit 2, nothing written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Register ``forms import`` and ``forms export`` on the ``homevisit`` parser's subcommands."""
    forms = sub.add_parser("forms", help="forms from and to XLSForm workbooks")
    forms_sub = forms.add_subparsers(dest="forms_command", required=True)
    imp = forms_sub.add_parser("import", help="turn an XLSForm workbook into a form definition")
    imp.add_argument("file", type=Path, metavar="FILE", help="the XLSForm workbook (.xlsx)")
    imp.add_argument(
        "--out", type=Path, dest="forms_out", default=Path("."), metavar="DIR", help="folder for the .json"
    )
    exp = forms_sub.add_parser("export", help="write shipped forms as XLSForm workbooks")
    exp.add_argument("--form", dest="form_id", metavar="ID", help="one form (default: every shipped form)")
    exp.add_argument(
        "--version", type=int, dest="form_version", metavar="N", help="that version (default: the newest)"
    )
    exp.add_argument(
        "--out", type=Path, dest="forms_out", required=True, metavar="PATH", help=".xlsx file, or a folder"
    )


def run(args: argparse.Namespace) -> int:
    if args.forms_command == "import":
        return import_form(args.file, out_dir=args.forms_out)
    return export_forms(args.forms_out, form_id=args.form_id, version=args.form_version)


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def import_form(file: Path, *, out_dir: Path) -> int:
    """Check ``file`` and write its form JSON into ``out_dir``; returns the exit status."""
    from app.forms.definition import form_files, load_form
    from app.forms.errors import FormDefinitionError
    from app.forms.xlsform import XLSFormError, form_shape, read_xlsform

    if not Path(file).is_file():
        return _fail(f"找不到文件“{file}”")
    if not out_dir.is_dir():
        return _fail(f"输出目录“{out_dir}”不存在")
    try:
        raw, form = read_xlsform(file)
    except XLSFormError as exc:
        return _fail(f"“{Path(file).name}”无法导入为表单：{exc}")
    text = json.dumps(raw, ensure_ascii=False, indent=1) + "\n"
    target = out_dir / f"{form.id}.v{form.version}.json"
    shipped = form_files().get(form.id, {}).get(form.version)
    for existing in (p for p in (target, shipped) if p is not None and p.is_file()):
        try:
            same = form_shape(load_form(existing)) == form_shape(form)
        except FormDefinitionError:
            same = False
        if not same:
            return _fail(
                f"表单 {form.id} 第 {form.version} 版已发布（{existing}），内容不同；已发布的版本不能修改，请在 settings 表中把 version 改为更大的数"
            )
    try:
        _write(target, text.encode("utf-8"))
    except OSError as exc:
        return _fail(f"无法写入“{target}”：{exc.strerror or exc}")
    print(f"已导入表单 {form.id}（{form.title}）第 {form.version} 版，{len(form.questions)} 题 -> {target}")
    return 0


def export_forms(out: Path, *, form_id: str | None = None, version: int | None = None) -> int:
    """Write one shipped form (or the latest of each) as XLSForm; returns the exit status."""
    from app.forms.definition import form_files
    from app.forms.xlsform_export import form_to_workbook

    files = form_files()
    if form_id is None:
        if version is not None:
            return _fail("--version 只能与 --form 一起使用")
        if not out.is_dir():
            return _fail(f"输出目录“{out}”不存在（不指定 --form 时 --out 应为文件夹）")
        chosen = [(fid, max(versions)) for fid, versions in sorted(files.items())]
    else:
        if form_id not in files:
            return _fail(f"找不到表单“{form_id}”，可选：{'、'.join(sorted(files))}")
        chosen_version = version or max(files[form_id])
        if chosen_version not in files[form_id]:
            return _fail(
                f"表单 {form_id} 没有第 {chosen_version} 版，可选：{'、'.join(map(str, sorted(files[form_id])))}"
            )
        chosen = [(form_id, chosen_version)]
        if not out.is_dir() and out.suffix.lower() != ".xlsx":
            return _fail(f"输出文件“{out}”应以 .xlsx 结尾")
        if not out.is_dir() and not out.parent.is_dir():
            return _fail(f"输出目录“{out.parent}”不存在")
    for fid, v in chosen:
        target = out / f"{fid}.v{v}.xlsx" if out.is_dir() else out
        raw = json.loads(files[fid][v].read_text("utf-8"))
        try:
            _write(target, form_to_workbook(raw))
        except OSError as exc:
            return _fail(f"无法写入“{target}”：{exc.strerror or exc}")
        print(f"已导出表单 {fid} 第 {v} 版 -> {target}")
    return 0
