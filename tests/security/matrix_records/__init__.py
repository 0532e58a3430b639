"""Record builders for the authorisation matrix, one module per room.

``tests/security/test_authorisation_matrix.py`` builds the shared world (organisations, users,
subjects, signals) itself. A room that adds object routes adds a module here with

* ``KINDS``: the object kind names it provides (used as ``object:`` in authorisation.yaml);
* ``build(world, key, org, level) -> dict[str, object]``: records of organisation ``key``
  ("A", "B" or "P") at confidentiality ``level``, by kind; called after the shared records of
  that organisation and level exist (``world.records[("signal", key, level)]`` and so on);
* optionally ``url_kwargs(kind, obj) -> dict`` when the URL is not just ``{"pk": obj.pk}``, and
  ``gated_record(kind, obj)`` when the purpose gate is applied to another record.

Every record a builder returns is assigned to every matrix user, so the purpose gate does not
interfere with the matrix itself.
"""

from __future__ import annotations

import importlib
import pkgutil


def modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        yield importlib.import_module(f"{__name__}.{info.name}")


def kinds() -> set[str]:
    return {kind for module in modules() for kind in module.KINDS}


def module_for(kind: str):
    return next((m for m in modules() if kind in m.KINDS), None)
