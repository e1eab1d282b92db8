"""The W3C Reconciliation Service API (0.2) at /reconcile/: names matched to records (matching.py),
the protocol's requests and answers (service.py), its views and URLs."""
