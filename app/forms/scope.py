"""Moved to ``app.contract.forms.scope`` (the server reads it too); this name is the same module."""

import sys

from app.contract.forms import scope as _moved

sys.modules[__name__] = _moved
