"""The public web site: its views (lists and record pages, overview, insights, partnerships, the open
data page, identifier redirects, feeds, sitemaps), its URLs, template tags and table columns."""
