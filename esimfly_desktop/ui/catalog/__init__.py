"""The catalog screen: search box, filters, package table and details pane."""
