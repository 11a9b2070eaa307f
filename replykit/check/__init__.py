"""Checking drafts: rule kinds, detectors, the engine."""
