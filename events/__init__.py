"""The record: event types, validation, the mapper and the append-only store."""
