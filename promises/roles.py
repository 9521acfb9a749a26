"""The staff roles and exactly the permissions each needs.

Used by the data migration that creates the groups; change a role here and add a
migration that calls sync_role_groups again.
"""

COORDINATOR = "Kommunsamordnare"
POLICE_LIAISON = "Polisens kontaktperson"

CRUD = ["view", "add", "change", "delete"]

ROLE_PERMISSIONS = {
    COORDINATOR: {
        "municipality": ["view"],
        "district": ["view", "add", "change"],
        "organisation": ["view", "add", "change"],
        "promise": ["view", "add", "change", "publish_promise"],
        "focusarea": CRUD,
        "commitment": CRUD,
        "target": CRUD,
        "activity": [*CRUD, "log_any_activity_kind"],
        "fridaydeployment": ["view"],
        "finding": CRUD,
    },
    POLICE_LIAISON: {
        "municipality": ["view"],
        "district": ["view"],
        "organisation": ["view"],
        "promise": ["view"],
        "focusarea": ["view"],
        "commitment": ["view"],
        "target": ["view"],
        "activity": ["view", "add", "change"],
        "fridaydeployment": ["view", "add", "change"],
        "operationalpicture": ["view", "add", "change"],
        "finding": ["view"],
    },
}


def codenames(model: str, actions: list[str]) -> list[str]:
    return [action if "_" in action else f"{action}_{model}" for action in actions]


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create the role groups and give each exactly its permissions."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for model, actions in models.items():
            for codename in codenames(model, actions):
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label="promises", codename=codename
                    )
                )
        group.permissions.set(wanted)
