"""Moved to ``app.contract.forms.errors`` (the server reads it too); this name is the same module."""

import sys

from app.contract.forms import errors as _moved

sys.modules[__name__] = _moved
