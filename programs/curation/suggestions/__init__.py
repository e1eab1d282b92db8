"""Reviewing the public's suggestions (programs.models.suggestions) in the admin.

- `admin`: the inbox (the suggestions' change list) and each suggestion's review page;
- `review`: the state changes (accept, decline, duplicate), which close a suggestion and erase its
  e-mail address;
- `drafts`: how an accepted suggestion reaches its record through the admin's own forms, with the
  suggestion named in the record's history;
- `comparison`: the record as it is beside the proposed change, and the registry's nearest records;
- `mail`: news of the outcome to the proposer, and the curators' digest of new suggestions.
"""
