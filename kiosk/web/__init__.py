"""The office web server: the board for any TV browser and each ticket's status page,
pushed by server-sent events from the same ticket events the Qt display reads.

Public, read-only data only: ticket numbers, services, counters, counts and times.
"""
