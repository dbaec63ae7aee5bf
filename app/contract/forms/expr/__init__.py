"""The form expression language: tokenizer, parser, static checker, evaluator.

Syntax is close to XLSForm's: ``${age} >= 60 and selected(${needs}, 'rehab')``.
Use :class:`Expression` — ``Expression.compile(text, scope)`` parses and checks
once (at form load) and ``expr.evaluate(env)`` runs it many times.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.contract.forms.errors import ExpressionError
from app.contract.forms.expr import types
from app.contract.forms.expr.ast import Node, Ref, walk
from app.contract.forms.expr.checker import check
from app.contract.forms.expr.compiler import Compiled, compile_node
from app.contract.forms.expr.parser import parse

__all__ = ["Expression", "ExpressionError", "check", "parse", "refs_of", "types"]


@dataclass(frozen=True)
class Expression:
    """A parsed, type-checked, compiled expression."""

    source: str
    tree: Node
    type: str
    refs: frozenset[str]
    _fn: Compiled = field(repr=False, compare=False)

    @classmethod
    def compile(cls, source: str, scope: types.TypeScope) -> Expression:
        """Parse and check ``source``; raise ``ExpressionError`` with its position."""
        return cls.from_tree(source, parse(source), scope)

    @classmethod
    def from_tree(cls, source: str, tree: Node, scope: types.TypeScope) -> Expression:
        """Check and compile an already parsed tree."""
        kind = check(tree, scope, source)
        refs = frozenset(n.name for n in walk(tree) if isinstance(n, Ref))
        return cls(source, tree, kind, refs, compile_node(tree, source))

    def evaluate(self, env: types.Environment) -> object:
        """The value in ``env``; bad data yields None, never a Python exception."""
        try:
            return self._fn(env)
        except ExpressionError:
            raise
        except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:
            # A safety net: the functions are written not to raise, but a form must
            # never crash the app because of one odd answer.
            raise ExpressionError(f"表达式计算失败：{exc}", 0, self.source) from exc


def refs_of(tree: Node) -> frozenset[str]:
    """Names referenced as ``${name}`` anywhere in ``tree``."""
    return frozenset(n.name for n in walk(tree) if isinstance(n, Ref))
