"""A roster as a federation would send it, made from ``app.domain.synthetic`` households.

For tests, the benchmark and trying the import screen: the headers and value
spellings of a 残疾人证 database export (``视力残疾``, ``一级``, the village by name),
one line per disabled person, members of a household on consecutive lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from app.domain.enums import DisabilityCategory, DisabilityLevel, EconomicStatus
from app.domain.regions import default_catalog
from app.domain.synthetic import generate

HEADERS = (
    "序号",
    "姓名",
    "身份证号",
    "残疾证号",
    "残疾类别",
    "残疾等级",
    "户籍地址",
    "现住址",
    "联系电话",
    "所属村(社区)",
    "户主",
    "与户主关系",
    "家庭经济状况",
)


def sample_rows(households: int, seed: int = 0, regions: Sequence[str] | None = None) -> list[list[str]]:
    """Data lines (no header) for ``households`` synthetic households."""
    catalog = default_catalog()
    rows: list[list[str]] = []
    for h in generate(households, seed=seed, regions=regions):
        hh = h.household
        village = catalog.full_name(hh["region_code"], with_province=False)
        for p in h.persons:
            rows.append(
                [
                    str(len(rows) + 1),
                    p["name"],
                    p["id_number"],
                    p["cert_number"],
                    DisabilityCategory(p["category"]).label,
                    DisabilityLevel(p["level"]).label,
                    hh["address"],
                    hh["address"],
                    p["phone"] or hh["phone"],
                    village,
                    hh["head_name"],
                    "本人" if p["relation"] == "户主" else p["relation"],
                    EconomicStatus(hh["economic_status"]).label,
                ]
            )
    return rows


def write_sample(path: Path | str, rows: Sequence[Sequence[str]], *, encoding: str = "utf-8-sig") -> Path:
    """Write ``rows`` under ``HEADERS`` as .xlsx (ID columns as text) or .csv in ``encoding``."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("花名册")
        ws.append(list(HEADERS))
        for row in rows:
            ws.append(list(row))
        wb.save(path)
        return path
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
