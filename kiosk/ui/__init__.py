"""The front-desk windows: scan and verdict, walk-in priority, today's list, supervisor
actions, the self-service touch screen and the demo phone. Widgets only wire the
services (database, on one background thread) and the devices (camera, wedge scanner,
printer outbox), which reach them as Qt signals."""
