"""Anchors: the least the toolkit itself costs for the same work, measured beside the console."""
