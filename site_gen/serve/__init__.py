"""Live preview: ``site-gen serve`` (watcher -> session -> server)."""
