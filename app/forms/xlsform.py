"""Moved to ``app.contract.forms.xlsform`` (the server reads it too); this name is the same module."""

import sys

from app.contract.forms import xlsform as _moved

sys.modules[__name__] = _moved
