"""Turn a checked syntax tree into nested closures (no Python ``eval``)."""

from __future__ import annotations

from collections.abc import Callable

from app.contract.forms.errors import ExpressionError
from app.contract.forms.expr import types as T
from app.contract.forms.expr.ast import Attr, Binary, Call, Current, Literal, Node, Ref, Unary
from app.contract.forms.expr.functions import FUNCTIONS
from app.contract.forms.expr.values import arithmetic, equal, order, to_number, truthy

Compiled = Callable[[T.Environment], object]


def compile_node(node: Node, source: str = "") -> Compiled:
    """A function of an environment that computes ``node``'s value."""
    if isinstance(node, Literal):
        value = node.value
        return lambda env: value
    if isinstance(node, Ref):
        name = node.name
        return lambda env: env.ref(name)
    if isinstance(node, Current):
        return lambda env: env.current()
    if isinstance(node, Attr):
        attr = node.name
        return lambda env: env.attr(attr)
    if isinstance(node, Unary):
        operand = compile_node(node.operand, source)

        def negate(env: T.Environment) -> object:
            number = to_number(operand(env))
            return None if number is None else -number

        return negate
    if isinstance(node, Binary):
        return _compile_binary(node, source)
    if isinstance(node, Call):
        func = FUNCTIONS.get(node.name)
        if func is None:
            raise ExpressionError(f"未知的函数 {node.name}()", node.position, source)
        count = len(node.args)
        if count < func.min_args or (func.max_args is not None and count > func.max_args):
            raise ExpressionError(f"函数 {node.name}() 的参数个数不对", node.position, source)
        args = [compile_node(a, source) for a in node.args]
        impl = func.impl
        return lambda env: impl(env, [a(env) for a in args])
    raise ExpressionError("无法识别的表达式", node.position, source)


def _compile_binary(node: Binary, source: str) -> Compiled:
    left, right = compile_node(node.left, source), compile_node(node.right, source)
    op = node.op
    if op == "and":
        return lambda env: truthy(left(env)) and truthy(right(env))
    if op == "or":
        return lambda env: truthy(left(env)) or truthy(right(env))
    if op == "=":
        return lambda env: equal(left(env), right(env))
    if op == "!=":
        return lambda env: not equal(left(env), right(env))
    if op in ("<", "<=", ">", ">="):
        return lambda env: order(op, left(env), right(env))
    return lambda env: arithmetic(op, left(env), right(env))
