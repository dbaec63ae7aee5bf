"""Errors of the form engine, each a ``ValueError`` with a Chinese message.

``ExpressionError`` is the only error the expression tokenizer, parser, checker
and evaluator raise; ``FormDefinitionError`` wraps it (or a structural problem)
with the form id, question id and character position so a federation editor
can find the mistake in the JSON file.
"""

from __future__ import annotations


class ExpressionError(ValueError):
    """An expression is malformed, ill-typed or could not be evaluated.

    ``position`` is the 0-based character offset in the expression text.
    """

    def __init__(self, message: str, position: int = 0, expression: str = "") -> None:
        self.message = message
        self.position = position
        self.expression = expression
        super().__init__(f"{message}（第 {position + 1} 个字符）")


class FormDefinitionError(ValueError):
    """A form definition file is invalid; raised when the form is loaded."""

    def __init__(
        self,
        message: str,
        *,
        form_id: str = "",
        question_id: str = "",
        attribute: str = "",
        position: int | None = None,
    ) -> None:
        self.message = message
        self.form_id = form_id
        self.question_id = question_id
        self.attribute = attribute
        self.position = position
        where = [f"表单 {form_id or '?'}"]
        if question_id:
            where.append(f"题目 {question_id}")
        if attribute:
            where.append(f"属性 {attribute}")
        if position is not None:
            where.append(f"第 {position + 1} 个字符")
        super().__init__(f"{'，'.join(where)}：{message}")


class AnswerError(ValueError):
    """An answer cannot be stored: unknown key, read-only question or wrong value type."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}：{message}")


class FormNotFoundError(ValueError):
    """No definition with this form id (and version) exists in resources/forms."""
