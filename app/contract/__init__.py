"""What the desktop app and the server must agree on, imported by both.

The protocol models, the synced-table schema and its value rules, the pull page layout, the hybrid
logical clock, sync error codes and the certificate's content and verification code. Nothing here
imports anything of ``app`` but ``app.domain``, so the server can import it without the store.

Value rules: ``app.contract.values.check_field(table, field, value) -> FieldError | None`` is
the rule the server applies to every pushed change; the laptop calls the same function when
a value is typed and shows ``FieldError.message`` beside the field (``reason`` is a stable
code). Form answers: ``app.contract.answers.check_answer(index_form(definition), key, value)``.
"""
