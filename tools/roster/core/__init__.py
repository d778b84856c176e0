"""Shared vocabulary of every layer: findings, the error family, Beijing time, working days, progress."""
