"""台账 (ledgers) as both programs export them: kinds, columns, filing order, scope, the workbook.

The laptop (``app.services.ledger``) and the server console
(``server.console.ledger_pages``) read their own databases into source rows and
build every ledger from ``definitions``; ``workbook`` writes it as .xlsx.
"""

from app.contract.ledger.columns import (
    Column,
    Ledger,
    LedgerCancelled,
    LedgerKind,
    UnknownLedgerKind,
    china_date,
    china_time,
    filing_key,
    ledger_kind,
    region_names,
)
from app.contract.ledger.definitions import DEFINITIONS, Scope, build
from app.contract.ledger.workbook import HEADER_ROW, write_ledger, write_ledger_to

__all__ = [
    "DEFINITIONS",
    "HEADER_ROW",
    "Column",
    "Ledger",
    "LedgerCancelled",
    "LedgerKind",
    "Scope",
    "UnknownLedgerKind",
    "build",
    "china_date",
    "china_time",
    "filing_key",
    "ledger_kind",
    "region_names",
    "write_ledger",
    "write_ledger_to",
]
