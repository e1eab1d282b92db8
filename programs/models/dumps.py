"""Django's JSON serialization format, for `dumpdata` and `loaddata`, with every moment kept exact.

Django's own JSON format writes a moment to the millisecond (ECMA-262's form), so a dump loaded
back changes every `created_at`, `updated_at` and history date by up to a millisecond: the API's
answers and the changes feed then differ from the original's, and records saved within the same
millisecond lose their order. This format writes moments and times as ISO 8601 to the
microsecond, which the database keeps; everything else, and reading, is Django's (which reads
either form). The settings install it under the name `json` (SERIALIZATION_MODULES).
"""

import datetime

from django.core.serializers import json


class ExactJSONEncoder(json.DjangoJSONEncoder):
    """DjangoJSONEncoder, with moments and times to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time) and o.microsecond:
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()


Deserializer = json.Deserializer
