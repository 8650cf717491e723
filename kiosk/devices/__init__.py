"""Devices: camera and decoders, keyboard-wedge and serial scanners, printers, audio.

Each device sits behind a small interface with a fake for tests. Devices know nothing
of the domain: they hand over text, bytes and states.
"""
