"""Amounts in Chinese financial capitals (人民币大写), as settlement forms print them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def _group(value: int) -> str:
    """0 < value < 10000 without leading or trailing 零."""
    out, zero = "", False
    for pos in (3, 2, 1, 0):
        d = value // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _UNITS[pos]
    return out


def rmb_upper(amount: Decimal) -> str:
    """``Decimal('5320.5')`` → ``人民币伍仟叁佰贰拾元伍角整``."""
    if amount < 0:
        raise ValueError("金额不能为负数")
    fen_total = int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    groups = []
    n = yuan
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_GROUPS):
        raise ValueError("金额过大")
    words, pending_zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        g = groups[index]
        if g == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or g < 1000):
            words += "零"
        words += _group(g) + _GROUPS[index]
        pending_zero = False
    text = "人民币" + (words or "零") + "元"
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        return text + _DIGITS[fen] + "分"
    return text + "整"
