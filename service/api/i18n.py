"""The pages' languages and words: a front for the gettext catalogues of `notifications.translations`."""

from __future__ import annotations

from notifications.translations import LANGUAGES, N_, translations, translator

__all__ = ["LANGUAGES", "N_", "translations", "translator"]
