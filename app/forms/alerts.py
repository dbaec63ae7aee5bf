"""Moved to ``app.contract.forms.alerts`` (the server reads it too); this name is the same module."""

import sys

from app.contract.forms import alerts as _moved

sys.modules[__name__] = _moved
