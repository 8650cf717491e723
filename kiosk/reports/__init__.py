"""Reports for the head of office, computed from ticket events (right after a crash or restart)."""
