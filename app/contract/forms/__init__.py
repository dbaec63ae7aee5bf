"""Form definitions that both the laptop and the server read: the model, the expression
language, the definition checks and the XLSForm workbook converter.

Pure (no store, no Qt, no network), so the server's console converts and checks an
uploaded XLSForm with the very code ``homevisit forms import`` runs. ``app.forms``
(the form engine, alerts, export) builds on it; its old module names
(``app.contract.forms.definition``, ``app.contract.forms.xlsform``, ...) are the same module objects.
"""
