"""Moved to ``app.contract.forms.expr`` (the server reads it too); these names are the same modules."""

import importlib
import sys

_NEW = "app.contract.forms.expr"
for _name in ("ast", "checker", "compiler", "functions", "lexer", "parser", "types", "values"):
    sys.modules[f"{__name__}.{_name}"] = importlib.import_module(f"{_NEW}.{_name}")
sys.modules[__name__] = importlib.import_module(_NEW)
