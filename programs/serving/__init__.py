"""How requests are served, whatever they ask for: reads routed to a replica (routing.py), caches keyed
on the data version (caching.py, data_version.py), the page cache and the answers given while the
database is away (middleware.py), the Redis cache that fails soft (cache.py), request limits and
sign-in throttling (security.py, throttling.py), the language of prefix-less addresses (languages.py)
and the deployment's system checks (checks.py). It knows no page, list or record kind."""
