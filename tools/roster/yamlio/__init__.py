"""YAML in and out: strict loading with positions, surgical edits, the field order staff see."""
