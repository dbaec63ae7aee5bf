"""Moved to ``app.contract.forms.model`` (the server reads it too); this name is the same module."""

import sys

from app.contract.forms import model as _moved

sys.modules[__name__] = _moved
