"""The W3C Reconciliation Service API (0.2) at /reconcile/, one module per part of the protocol:
manifest.py (the service manifest), queries.py and query_properties.py (reconciliation queries),
extend.py (data extension), suggest.py (the suggest services), protocol.py (what they share: the
400 refusal, entity ids, limits); names are matched to records by matching.py; views.py and urls.py
serve them."""
