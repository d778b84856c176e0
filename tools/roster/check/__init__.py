"""Validation: discover the registry's files, check each (schema, personal data), then across records and against the base."""
