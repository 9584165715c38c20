"""A desk's own matrix (Word, Excel or CSV) read into the catalogue's events, and written out again (docs/matrix-import.md)."""
