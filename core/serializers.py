"""`dumpdata`/`loaddata` in JSON with timestamps to the microsecond (SERIALIZATION_MODULES).

Django's JSON encoder cuts a datetime to milliseconds, so a dump restored with `loaddata`
changed every recorded_at/updated_at slightly: the API's updated_since, ETags and the change
log's timestamps then disagreed with the original."""

import datetime as dt

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options["cls"] = FullPrecisionEncoder
        super()._init_options()


Deserializer = django_json.Deserializer
