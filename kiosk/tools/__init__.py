"""Build-time tools (translations); not imported by the application."""
