"""What the desktop app and the server must agree on, imported by both.

The protocol models, the synced-table schema and its value rules, the pull page layout, the hybrid
logical clock, sync error codes and the certificate's content and verification code. Nothing here
imports anything of ``app`` but ``app.domain``, so the server can import it without the store.
"""
