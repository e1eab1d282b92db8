"""What the public reads, and how fast: the read model (read_model/), the lists' FilterSets
(filters.py), facet counts (facets.py), list paging (lists.py), a record's bounded links
(record_links.py), partnerships, insights and charts. Reads only: nothing here writes curated data."""
