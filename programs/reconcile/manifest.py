"""The service manifest: what the service is and where its other services are (Reconciliation Service
API 0.2, "Service Definition": "Service Manifest";
https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/). It is the answer to
/reconcile/ asked without `queries` or `extend`.
"""

from django.utils.translation import gettext_lazy as _

from programs.reconcile.matching import TYPES
from programs.reconcile.protocol import MAX_BATCH, type_json


def manifest(base: str) -> dict:
    """The service manifest; `base` is the site's address (scheme and host)."""
    return {
        "versions": ["0.2"],
        "name": str(_("Partnership Program Tracker")),
        "identifierSpace": f"{base}/reconcile/view/",
        "schemaSpace": f"{base}/reconcile/schema/",
        "documentation": f"{base}/api/docs/",
        "defaultTypes": [type_json(entity) for entity in TYPES.values()],
        "view": {"url": f"{base}/reconcile/view/{{{{id}}}}"},
        "preview": {"url": f"{base}/reconcile/preview/?id={{{{id}}}}", "width": 400, "height": 160},
        "suggest": {
            kind: {"service_url": base, "service_path": f"/reconcile/suggest/{kind}/"}
            for kind in ("entity", "property", "type")
        },
        "extend": {
            "propose_properties": {"service_url": base, "service_path": "/reconcile/properties/"},
            "property_settings": [],
        },
        "batchSize": MAX_BATCH,
    }
