"""The windows: desk, counter (loket), admin."""
