"""Curation, in the admin: the admin site and its tools (site.py), the models' admins (admin.py), the
data check, fixture upload and name matching pages, completeness, roles and the write services."""
