"""Syntax tree nodes of the expression language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every node; ``position`` is the offset of its first character."""

    position: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A number or string written in the expression."""

    value: object


@dataclass(frozen=True, slots=True)
class Ref(Node):
    """``${name}``: a question, repeat or context value."""

    name: str


@dataclass(frozen=True, slots=True)
class Current(Node):
    """``.``: the value being validated (constraints only)."""


@dataclass(frozen=True, slots=True)
class Attr(Node):
    """A bare name: an attribute of the choice being filtered (choice filters only)."""

    name: str


@dataclass(frozen=True, slots=True)
class Call(Node):
    """A function call such as ``selected(${needs}, 'rehab')``."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Unary(Node):
    """Unary minus."""

    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    """``and or = != < <= > >= + - * div mod``."""

    op: str
    left: Node
    right: Node


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children."""
    out = [node]
    if isinstance(node, Call):
        for arg in node.args:
            out.extend(walk(arg))
    elif isinstance(node, Unary):
        out.extend(walk(node.operand))
    elif isinstance(node, Binary):
        out.extend(walk(node.left))
        out.extend(walk(node.right))
    return out
