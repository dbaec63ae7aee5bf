"""Reusable input widgets: signature pad, photo field, thumbnail strip."""
