"""Name resolution for checking a form's expressions at load time."""

from __future__ import annotations

from app.contract.forms.catalogs import load_catalog
from app.contract.forms.errors import FormDefinitionError
from app.contract.forms.expr import types as T


class FormScope:
    """Answers the checker's questions about names, for one expression of one form.

    ``owner_repeat`` is the repeat the expression lives in: a sibling question of
    that repeat has its own type, a question of another repeat (or of this one seen
    from outside) is a list of the values of all entries.
    """

    def __init__(
        self,
        value_types: dict[str, str],
        repeat_of: dict[str, str | None],
        repeat_ids: set[str],
        owner_repeat: str | None = None,
        current: str | None = None,
        attrs: dict[str, str] | None = None,
    ) -> None:
        self.value_types = value_types
        self.repeat_of = repeat_of
        self.repeat_ids = repeat_ids
        self.owner_repeat = owner_repeat
        self.current = current
        self.attrs = attrs

    def ref_type(self, name: str) -> str | None:
        if name in self.repeat_ids:
            return T.REPEAT
        kind = self.value_types.get(name)
        if kind is None:
            return None
        container = self.repeat_of.get(name)
        if container is not None and container != self.owner_repeat:
            return T.LIST
        return kind

    def current_type(self) -> str | None:
        return self.current

    def attr_type(self, name: str) -> str | None:
        if self.attrs is None:
            return None
        return self.attrs.get(name)

    def catalog_field_type(self, catalog: str, field: str) -> str | None:
        try:
            return load_catalog(catalog).field_type(field)
        except FormDefinitionError:
            return None
