"""The promise as data: municipalities, promises, commitments, targets, activities.

One module per aggregate, as pretix's `base/models/`; everything is imported from
here (`from promises.models import Activity`). The modules, in the order the
models are registered:

- `tenancy`: scoping by municipality (`for_user()`, `belongs_to_user()`);
- `publishing`: `Publishable`, the one publication mechanism;
- `places`: police areas, municipalities, districts, organisations;
- `promise`: the promise, its focus areas and commitments;
- `kinds`: the kinds of activity and their publication levels;
- `targets`: a commitment's targets;
- `priority`: the districts prioritised for a quarter;
- `activity`: activities, what the public sees of them, the operational
  lägesbild, the Friday deployment's quick form;
- `inventory`: the findings of safety inventories;
- `dialogue`: what residents raised at safety dialogues;
- `uploads`: files between an import's preview and its confirmation;
- `activity_day`: the activities' days that progress counts.

See docs/architecture.md for why the models are shaped this way.
"""

# isort: skip_file
# In the order the models were registered when they were one module (the order of
# dumpdata, content types and apps.get_models()); a module imports only those above.
from .tenancy import belongs_to_user, for_user, unique_name_per_municipality
from .publishing import PUBLIC_TEXT_HELP, Publishable, PublishableQuerySet
from .places import District, Municipality, Organisation, PoliceArea
from .promise import (
    Commitment,
    FocusArea,
    MeasureKind,
    MeasureTerm,
    ProblemSource,
    Promise,
    PromiseQuerySet,
    parties_in_words,
)
from .kinds import (
    DEFAULT_PUBLICATION_LEVEL,
    KINDS_PUBLIC_IN_DETAIL,
    MAX_COUNT,
    POLICE_LOGGED_KINDS,
    ActivityKind,
    PublicationLevel,
    targets_counting,
    Kind,
    KindField,
    MAX_KINDS_TOGETHER,
    default_publication_level,
    is_own_kind,
    own_kind_choices,
    kind_label,
    own_kinds,
)
from .targets import PER_PERIOD, TARGET_NOUNS, Target
from .priority import Priority
from .activity import (
    Activity,
    ActivityQuerySet,
    FridayDeployment,
    FridayDeploymentManager,
    OperationalPicture,
    public_activity,
)
from .inventory import Finding, FindingQuerySet
from .dialogue import DialogueTopic, DialogueTopicQuerySet
from .uploads import StagedUpload
from .activity_day import ActivityDay

__all__ = [
    "targets_counting",
    "Kind",
    "KindField",
    "MAX_KINDS_TOGETHER",
    "default_publication_level",
    "is_own_kind",
    "own_kind_choices",
    "kind_label",
    "own_kinds",
    "DEFAULT_PUBLICATION_LEVEL",
    "KINDS_PUBLIC_IN_DETAIL",
    "MAX_COUNT",
    "PER_PERIOD",
    "POLICE_LOGGED_KINDS",
    "PUBLIC_TEXT_HELP",
    "TARGET_NOUNS",
    "Activity",
    "ActivityDay",
    "ActivityKind",
    "ActivityQuerySet",
    "Commitment",
    "DialogueTopic",
    "DialogueTopicQuerySet",
    "District",
    "Finding",
    "FindingQuerySet",
    "FocusArea",
    "FridayDeployment",
    "FridayDeploymentManager",
    "MeasureKind",
    "MeasureTerm",
    "Municipality",
    "OperationalPicture",
    "Organisation",
    "PoliceArea",
    "Priority",
    "ProblemSource",
    "Promise",
    "PromiseQuerySet",
    "PublicationLevel",
    "Publishable",
    "PublishableQuerySet",
    "StagedUpload",
    "Target",
    "belongs_to_user",
    "for_user",
    "parties_in_words",
    "public_activity",
    "unique_name_per_municipality",
]
