"""The staff's pages for the promise as data, one module per area, as pretix's
`control/views/<area>.py`:

- `base`: what every app's model admins share (scoping by municipality,
  read-only history, publishing, the page for staff of no municipality);
- `places`: municipalities, districts, police areas, organisations;
- `promise`: promises, their commitments and targets;
- `inventory`, `dialogue`: findings and the topics residents raised;
- `activity`: activities of every kind;
- `deployment`: the police liaison's quick form for the Friday deployment;
- `importing`: the page of every import (promises/importing.py), for any app's
  model admin.

The hooks other apps fill in their AppConfig.ready(): `register_commitment_inline()`
(reports: a commitment's goals), `register_deployment_link()` (incidents: the
week's incident picture) and `register_preview()` (public: a draft's page).
"""

from .activity import (
    DEPLOYMENT_LINKS,
    ActivityAdmin,
    ActivityAdminBase,
    ActivityForm,
    deployment_links,
    register_deployment_link,
)
from .base import (
    PREVIEWS,
    MunicipalityScopedAdmin,
    PublishableAdmin,
    ReadOnlyHistoryAdmin,
    ScopedChoicesMixin,
    ScopedRelatedFieldListFilter,
    choice_related,
    has_a_municipality,
    next_promise_year,
    no_municipality_response,
    own_municipality,
    register_preview,
)
from .deployment import FridayDeploymentAdmin, FridayDeploymentForm
from .dialogue import DialogueTopicAdmin, DialogueTopicForm
from .importing import CsvImportAdmin, StagedUploadForm
from .inventory import FindingAdmin
from .kinds import KindAdmin
from .places import DistrictAdmin, MunicipalityAdmin, OrganisationAdmin, PoliceAreaAdmin
from .promise import (
    COMMITMENT_INLINES,
    CommitmentAdmin,
    CommitmentForm,
    PromiseAdmin,
    TargetAdmin,
    register_commitment_inline,
)

__all__ = [
    "COMMITMENT_INLINES",
    "DEPLOYMENT_LINKS",
    "PREVIEWS",
    "ActivityAdmin",
    "ActivityAdminBase",
    "ActivityForm",
    "CommitmentAdmin",
    "CommitmentForm",
    "CsvImportAdmin",
    "DialogueTopicAdmin",
    "DialogueTopicForm",
    "DistrictAdmin",
    "FindingAdmin",
    "FridayDeploymentAdmin",
    "FridayDeploymentForm",
    "MunicipalityAdmin",
    "MunicipalityScopedAdmin",
    "OrganisationAdmin",
    "PoliceAreaAdmin",
    "PromiseAdmin",
    "PublishableAdmin",
    "ReadOnlyHistoryAdmin",
    "ScopedChoicesMixin",
    "ScopedRelatedFieldListFilter",
    "StagedUploadForm",
    "TargetAdmin",
    "choice_related",
    "deployment_links",
    "has_a_municipality",
    "next_promise_year",
    "no_municipality_response",
    "own_municipality",
    "KindAdmin",
    "register_commitment_inline",
    "register_deployment_link",
    "register_preview",
]
