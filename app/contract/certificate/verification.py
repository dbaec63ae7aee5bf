"""Verification codes (校验码) printed on certificates and carried in their QR code.

The code is the first 60 bits of SHA-256 over the canonical content, written
as 12 characters of Crockford base-32 (no I, L, O, U, so nothing is misread).
It needs no secret: the server recomputes it from the acceptance it received
by sync and compares. A forged paper either has a serial the server does not
know, or content whose code differs from the server's record.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote, urlencode

from app.contract.certificate.content import CONTENT_VERSION, SUPPORTED_VERSIONS, canonical_bytes
from app.contract.certificate.model import CertificateData

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
QR_PREFIX = "HV1"
# Characters people type for look-alikes.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


class InvalidQrPayload(ValueError):
    """A scanned QR text is not a HomeVisit certificate code."""


def verification_code(content: CertificateData, version: int = CONTENT_VERSION) -> str:
    """The 12-character code for ``content``; pure and deterministic."""
    digest = hashlib.sha256(canonical_bytes(content, version)).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * CODE_LENGTH)
    chars = []
    for _ in range(CODE_LENGTH):
        number, rest = divmod(number, 32)
        chars.append(ALPHABET[rest])
    return "".join(reversed(chars))


def matching_code(content: CertificateData, issued: str) -> str:
    """The code ``content`` has under the content version ``issued`` was made with.

    A certificate issued before version 2 keeps verifying against its own
    (shorter) content; when no version matches, the current version's code is
    returned, which then differs from ``issued``.
    """
    wanted = normalize_code(issued)
    for version in SUPPORTED_VERSIONS:
        code = verification_code(content, version)
        if wanted and hmac.compare_digest(code, wanted):
            return code
    return verification_code(content)


CHECK_PATH = "/check"  # the server's public, phone-sized check page (server/console/public_pages.py)


def check_url(base: str, serial: str, code: str) -> str:
    """The page a phone opens from the QR code: ``<server>/check/<serial>?code=<code>``."""
    root = base.rstrip("/")
    return f"{root}{CHECK_PATH}/{quote(serial, safe='')}?{urlencode({'code': code})}"


def format_code(code: str) -> str:
    """Groups of four for print: ``ABCD-EFGH-JKMN``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_code(text: str) -> str:
    """A typed code as stored: upper-case, no separators, look-alikes folded."""
    return "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)


def code_matches(content: CertificateData, typed: str) -> bool:
    """Whether ``typed`` is the current-version code of ``content`` (constant-time compare)."""
    return hmac.compare_digest(verification_code(content), normalize_code(typed))


def qr_payload(serial: str, code: str) -> str:
    """The text in the certificate's QR code: ``HV1|<serial>|<code>``."""
    return f"{QR_PREFIX}|{serial}|{code}"


def parse_qr_payload(text: str) -> tuple[str, str]:
    """``(serial, code)`` from a scanned QR text; raises ``InvalidQrPayload``."""
    parts = text.strip().split("|")
    if len(parts) != 3 or parts[0] != QR_PREFIX:
        raise InvalidQrPayload("二维码不是残联验收单的核验码")
    return parts[1], normalize_code(parts[2])
