"""Static checks at form load: unknown names, wrong argument counts, type errors."""

from __future__ import annotations

from app.contract.forms.errors import ExpressionError
from app.contract.forms.expr import types as T
from app.contract.forms.expr.ast import Attr, Binary, Call, Current, Literal, Node, Ref, Unary
from app.contract.forms.expr.functions import FUNCTIONS, regex_error


def check(node: Node, scope: T.TypeScope, source: str = "") -> str:
    """Return the static type of ``node`` or raise ``ExpressionError`` at the culprit."""

    def fail(message: str, at: Node) -> ExpressionError:
        return ExpressionError(message, at.position, source)

    def visit(n: Node) -> str:
        if isinstance(n, Literal):
            return T.STRING if isinstance(n.value, str) else T.NUMBER
        if isinstance(n, Ref):
            found = scope.ref_type(n.name)
            if found is None:
                raise fail(f"未知的题目或变量 ${{{n.name}}}", n)
            return found
        if isinstance(n, Current):
            found = scope.current_type()
            if found is None:
                raise fail("“.”（本题的值）只能用在约束条件中", n)
            return found
        if isinstance(n, Attr):
            found = scope.attr_type(n.name)
            if found is None:
                raise fail(f"未知的名称 {n.name}（函数需加括号，题目引用写成 ${{{n.name}}}）", n)
            return found
        if isinstance(n, Unary):
            inner = visit(n.operand)
            if not T.fits(inner, T.NUMBER):
                raise fail(f"负号只能用于数字，不能用于{T.label(inner)}", n)
            return T.NUMBER
        if isinstance(n, Binary):
            return visit_binary(n)
        if isinstance(n, Call):
            return visit_call(n)
        raise fail("无法识别的表达式", n)

    def visit_binary(n: Binary) -> str:
        left, right = visit(n.left), visit(n.right)
        if n.op in ("and", "or"):
            for side, kind in ((n.left, left), (n.right, right)):
                if not T.fits(kind, T.BOOL):
                    raise fail(f"{n.op} 两边应为是/否条件，这里是{T.label(kind)}", side)
            return T.BOOL
        if n.op in ("=", "!="):
            # "${x} = ''" is the usual XLSForm test for "unanswered"; allow it for any type.
            empty_test = any(isinstance(side, Literal) and side.value == "" for side in (n.left, n.right))
            if not empty_test and not T.comparable(left, right):
                raise fail(f"不能比较{T.label(left)}和{T.label(right)}", n)
            return T.BOOL
        if n.op in ("<", "<=", ">", ">="):
            if not T.comparable(left, right) or T.BOOL in (left, right) or T.LIST in (left, right):
                raise fail(f"不能比较大小：{T.label(left)}和{T.label(right)}", n)
            return T.BOOL
        for side, kind in ((n.left, left), (n.right, right)):
            if not T.fits(kind, T.NUMBER):
                hint = "；日期请用 add-days / days-between" if kind == T.DATE else ""
                raise fail(f"运算 {n.op} 只能用于数字，这里是{T.label(kind)}{hint}", side)
        return T.NUMBER

    def visit_call(n: Call) -> str:
        func = FUNCTIONS.get(n.name)
        if func is None:
            raise fail(f"未知的函数 {n.name}()", n)
        count = len(n.args)
        if count < func.min_args or (func.max_args is not None and count > func.max_args):
            wanted = (
                str(func.min_args)
                if func.min_args == func.max_args
                else f"{func.min_args} 个以上"
                if func.max_args is None
                else f"{func.min_args}–{func.max_args}"
            )
            raise fail(f"函数 {n.name}() 需要 {wanted} 个参数，实际 {count} 个", n)
        arg_types = [visit(a) for a in n.args]
        result = func.typer(arg_types)
        if isinstance(result, tuple):
            index, message = result
            raise fail(f"{n.name}()：{message}", n.args[index])
        if n.name == "regex":
            pattern = n.args[1]
            if not isinstance(pattern, Literal):
                raise fail("regex() 的模式必须是写定的字符串", pattern)
            problem = regex_error(str(pattern.value))
            if problem:
                raise fail(problem, pattern)
        if n.name == "catalog":
            name_arg, field_arg = n.args[0], n.args[2]
            if not isinstance(name_arg, Literal) or not isinstance(field_arg, Literal):
                raise fail("catalog() 的目录名和字段名必须是写定的字符串", n)
            field_type = scope.catalog_field_type(str(name_arg.value), str(field_arg.value))
            if field_type is None:
                raise fail(f"目录 {name_arg.value} 中没有字段 {field_arg.value}", field_arg)
            return field_type
        return result

    return visit(node)
