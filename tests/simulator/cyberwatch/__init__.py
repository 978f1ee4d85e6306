"""The simulated Cyberwatch v3 API: routes.py is its one route table, api.py dispatches, one file per resource
(seed data, rendering, writes and filters), fleet.py the order in which the resources seed."""
