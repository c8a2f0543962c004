"""Glue between services and widgets: the rules live in services, the layout in views."""
