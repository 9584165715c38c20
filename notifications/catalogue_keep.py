"""Keep the keys the code builds at run time through `make translations` (docs/translations.md).

Extraction finds only literal keys (`t("nav.matrix")`, `N_("aktif")`); a key built from data
(`t(f.label)`, `"step." ~ s.step`) would be dropped by `pybabel update`. Before the update, the
extracted template gains every key the catalogues already hold, so a key leaves a catalogue only
when someone deletes it from both `.po` files by hand.

Usage: `python -m notifications.catalogue_keep var/messages.pot`
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).parent / "locale"


def held_keys(locale: Path = LOCALE) -> set[str]:
    """Every message id of every catalogue under `locale`."""
    keys: set[str] = set()
    for po in sorted(locale.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as source:
            keys.update(str(m.id) for m in read_po(source) if m.id)
    return keys


def keep(template: Path, locale: Path = LOCALE) -> int:
    """Add to the extracted `template` the catalogues' keys it lacks; returns how many were added."""
    with template.open("rb") as source:
        catalog = read_po(source)
    missing = sorted(held_keys(locale) - {str(m.id) for m in catalog if m.id})
    for key in missing:
        catalog.add(key)
    with template.open("wb") as target:
        write_po(target, catalog, width=100, omit_header=True)
    return len(missing)


if __name__ == "__main__":
    added = keep(Path(sys.argv[1]))
    print(f"{added} key(s) built at run time kept from the catalogues")
