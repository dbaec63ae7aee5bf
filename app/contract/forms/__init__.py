"""Form definitions that both the laptop and the server read: the model, the expression
language, the definition checks, the XLSForm workbook converter, the form engine's
session (relevance and calculations over stored answers) and the need-alert rules.

Pure (no store, no Qt, no network), so the server's console converts and checks an
uploaded XLSForm with the very code ``homevisit forms import`` runs, and counts the
alerts a laptop shows with the laptop's own rules. ``app.forms`` (export, synthetic
answers) builds on it; its old module names (``app.forms.definition``,
``app.forms.engine``, ``app.forms.alerts``, ...) are the same module objects.
"""
