"""Thin HTTP layer: parse the request, call the core, shape the response."""
