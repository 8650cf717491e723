"""Pure domain rules of Antrean Paspor.

Nothing in this package imports Qt, SQL, OpenCV or printer libraries (a test
enforces it): these are the rules of DESIGN §3, usable from the services, the
command line, the UI and the simulations alike.
"""
