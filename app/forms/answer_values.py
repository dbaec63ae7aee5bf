"""Moved to ``app.contract.forms.answer_values`` (the server reads it too); this name is the same module."""

import sys

from app.contract.forms import answer_values as _moved

sys.modules[__name__] = _moved
