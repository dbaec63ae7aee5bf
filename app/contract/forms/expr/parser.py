"""Recursive-descent parser: tokens to a syntax tree.

Precedence, lowest first: ``or``; ``and``; comparisons; ``+ -``;
``* div mod``; unary minus; primaries.
"""

from __future__ import annotations

from app.contract.forms.errors import ExpressionError
from app.contract.forms.expr.ast import Attr, Binary, Call, Current, Literal, Node, Ref, Unary
from app.contract.forms.expr.lexer import Token, tokenize

# Deeper nesting than this is never a real form rule; refusing it keeps Python's
# recursion limit out of reach.
MAX_DEPTH = 60
MAX_TREE_DEPTH = 120

_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
_KEYWORDS = ("and", "or", "div", "mod")


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.index]

    def error(self, message: str, token: Token | None = None) -> ExpressionError:
        return ExpressionError(message, (token or self.tok).position, self.source)

    def advance(self) -> Token:
        tok = self.tok
        self.index += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def at_keyword(self, word: str) -> bool:
        return self.tok.kind == "name" and self.tok.text == word

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.error("表达式为空")
        node = self.parse_or()
        if self.tok.kind != "end":
            raise self.error(f"多余的内容 {self.tok.text!r}")
        self.check_depth(node)
        return node

    def check_depth(self, root: Node) -> None:
        # Long chains such as 1+1+1+... nest to the left without recursion in the
        # parser, but the checker and evaluator recurse over them; bound the depth.
        stack = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_TREE_DEPTH:
                raise ExpressionError("表达式嵌套过深", node.position, self.source)
            if isinstance(node, Call):
                stack.extend((arg, depth + 1) for arg in node.args)
            elif isinstance(node, Unary):
                stack.append((node.operand, depth + 1))
            elif isinstance(node, Binary):
                stack.append((node.left, depth + 1))
                stack.append((node.right, depth + 1))

    def parse_or(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("表达式嵌套过深")
        node = self.parse_and()
        while self.at_keyword("or"):
            tok = self.advance()
            node = Binary(tok.position, "or", node, self.parse_and())
        self.depth -= 1
        return node

    def parse_and(self) -> Node:
        node = self.parse_comparison()
        while self.at_keyword("and"):
            tok = self.advance()
            node = Binary(tok.position, "and", node, self.parse_comparison())
        return node

    def parse_comparison(self) -> Node:
        node = self.parse_additive()
        while self.at_op(*_COMPARISONS):
            tok = self.advance()
            node = Binary(tok.position, tok.text, node, self.parse_additive())
        return node

    def parse_additive(self) -> Node:
        node = self.parse_multiplicative()
        while self.at_op("+", "-"):
            tok = self.advance()
            node = Binary(tok.position, tok.text, node, self.parse_multiplicative())
        return node

    def parse_multiplicative(self) -> Node:
        node = self.parse_unary()
        while self.at_op("*") or self.at_keyword("div") or self.at_keyword("mod"):
            tok = self.advance()
            node = Binary(tok.position, tok.text, node, self.parse_unary())
        return node

    def parse_unary(self) -> Node:
        if self.at_op("-"):
            tok = self.advance()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error("表达式嵌套过深", tok)
            node = Unary(tok.position, self.parse_unary())
            self.depth -= 1
            return node
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.tok
        if tok.kind in ("number", "string"):
            self.advance()
            return Literal(tok.position, tok.value)
        if tok.kind == "ref":
            self.advance()
            return Ref(tok.position, str(tok.value))
        if tok.kind == "current":
            self.advance()
            return Current(tok.position)
        if tok.kind == "op" and tok.text == "(":
            self.advance()
            node = self.parse_or()
            if not self.at_op(")"):
                raise self.error("缺少右括号 )")
            self.advance()
            return node
        if tok.kind == "name":
            if tok.text in _KEYWORDS:
                raise self.error(f"{tok.text!r} 前缺少运算对象")
            self.advance()
            if not self.at_op("("):
                return Attr(tok.position, tok.text)
            self.advance()
            args: list[Node] = []
            if not self.at_op(")"):
                args.append(self.parse_or())
                while self.at_op(","):
                    self.advance()
                    args.append(self.parse_or())
            if not self.at_op(")"):
                raise self.error(f"函数 {tok.text} 的参数后缺少右括号 )")
            self.advance()
            return Call(tok.position, tok.text, tuple(args))
        if tok.kind == "end":
            raise self.error("表达式不完整")
        raise self.error(f"此处不应出现 {tok.text!r}")


def parse(source: str) -> Node:
    """Parse ``source`` into a syntax tree or raise ``ExpressionError``."""
    return _Parser(source).parse()
