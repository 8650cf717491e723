"""The command line: ``python main.py <command>``."""
