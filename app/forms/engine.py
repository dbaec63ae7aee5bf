"""Moved to ``app.contract.forms.engine`` (the server reads it too); this name is the same module."""

import sys

from app.contract.forms import engine as _moved

sys.modules[__name__] = _moved
