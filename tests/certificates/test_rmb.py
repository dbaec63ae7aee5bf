"""Amounts in Chinese financial capitals."""

from decimal import Decimal

import pytest

from app.certificates.rmb import rmb_upper


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "人民币零元整"),
        ("1", "人民币壹元整"),
        ("30", "人民币叁拾元整"),
        ("1005", "人民币壹仟零伍元整"),
        ("5367.50", "人民币伍仟叁佰陆拾柒元伍角整"),
        ("6000.10", "人民币陆仟元壹角整"),
        ("10010", "人民币壹万零壹拾元整"),
        ("100500", "人民币壹拾万零伍佰元整"),
        ("105000.07", "人民币壹拾万伍仟元零柒分"),
        ("1000000500", "人民币壹拾亿零伍佰元整"),
        ("12.345", "人民币壹拾贰元叁角伍分"),
    ],
)
def test_rmb_upper(amount, words):
    assert rmb_upper(Decimal(amount)) == words


def test_negative_amount():
    with pytest.raises(ValueError):
        rmb_upper(Decimal("-1"))
