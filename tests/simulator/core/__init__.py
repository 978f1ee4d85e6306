"""The simulator's infrastructure, shared by both APIs: the WSGI app, the store, authentication, pagination, faults,
the /_sim/ control endpoints, the command line and the launcher (tests/simulator/README.md, "Layout")."""
