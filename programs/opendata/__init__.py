"""Open data: a record as the public gets it (records.py), list downloads (exports.py), the changes
feed (changes.py), numbered data releases (releases.py) and schema.org JSON-LD (jsonld.py)."""
