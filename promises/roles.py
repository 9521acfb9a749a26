"""The staff roles and exactly the permissions each needs.

Used by the data migrations that create the groups; change a role here and add a
migration that calls sync_role_groups again.
"""

from django.contrib.auth.management import create_permissions

COORDINATOR = "Kommunsamordnare"
POLICE_LIAISON = "Polisens kontaktperson"
# A partner organisation's reporter (incidents): reports incidents, nothing else.
PARTNER_REPORTER = "Samverkanspart"

CRUD = ["view", "add", "change", "delete"]

ROLE_PERMISSIONS = {
    COORDINATOR: {
        "promises.municipality": ["view", "change", "export_municipality"],
        "promises.policearea": ["view"],
        "promises.district": ["view", "add", "change"],
        "promises.organisation": ["view", "add", "change"],
        "promises.kind": ["view", "add", "change"],
        "promises.promise": ["view", "add", "change", "publish_promise"],
        "promises.focusarea": CRUD,
        "promises.commitment": CRUD,
        "promises.target": CRUD,
        "promises.activity": [*CRUD, "log_any_activity_kind"],
        "promises.fridaydeployment": ["view"],
        "promises.finding": CRUD,
        "promises.dialoguetopic": CRUD,
        "promises.priority": CRUD,
        "reports.indicator": ["view", "add", "change"],
        "reports.indicatorvalue": CRUD,
        "reports.quarterlyreport": [*CRUD, "publish_quarterlyreport"],
        "reports.reportchannel": CRUD,
        "reports.evaluation": ["view", "add", "change", "publish_evaluation"],
        "reports.commitmentoutcome": CRUD,
        "reports.goal": CRUD,
        "incidents.incidentcategory": CRUD,
        "incidents.reporter": CRUD,
        "incidents.incidentreport": [*CRUD, "view_lagesbild", "publish_counts"],
    },
    POLICE_LIAISON: {
        "promises.municipality": ["view"],
        "promises.policearea": ["view"],
        "promises.district": ["view"],
        "promises.organisation": ["view"],
        "promises.kind": ["view"],
        "promises.promise": ["view"],
        "promises.focusarea": ["view"],
        "promises.commitment": ["view"],
        "promises.target": ["view"],
        "promises.activity": ["view", "add", "change"],
        "promises.fridaydeployment": ["view", "add", "change"],
        "promises.operationalpicture": ["view", "add", "change"],
        "promises.finding": ["view"],
        "promises.dialoguetopic": ["view"],
        "promises.priority": ["view"],
        "reports.indicator": ["view"],
        "reports.indicatorvalue": ["view"],
        "reports.quarterlyreport": ["view"],
        "reports.reportchannel": ["view"],
        "reports.evaluation": ["view"],
        "reports.commitmentoutcome": ["view"],
        "reports.goal": ["view"],
        "incidents.incidentcategory": ["view"],
        "incidents.incidentreport": ["view", "add", "view_lagesbild"],
    },
    # Their own organisation's reports of the last few days only (incidents/admin/incident_reports.py).
    PARTNER_REPORTER: {
        "incidents.incidentreport": ["view", "add", "change", "view_own_feedback"],
    },
}


def codenames(model: str, actions: list[str]) -> list[str]:
    return [action if "_" in action else f"{action}_{model}" for action in actions]


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create the role groups and give each exactly its permissions.

    Models and permissions not yet migrated (in `apps`) are left out; the
    migration that creates them calls this again.
    """
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for label, actions in models.items():
            app_label, model = label.split(".")
            try:
                apps.get_model(app_label, model)
            except LookupError:
                continue
            # A permission not yet migrated (a custom one added to a model's Meta
            # later) is left out too; the migration that adds it calls this again.
            wanted += Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=codenames(model, actions),
            )
        group.permissions.set(wanted)
