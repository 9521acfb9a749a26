"""Generations: tokens that every change to the watched data replaces, one for each
municipality, one for the national pages and one for everything.

Anything computed from the data and kept in Django's cache (settings.CACHES:
Redis or the database, shared by every app server) puts a generation in its key,
so that it is never read again once the data it shows has changed:

- `cached(name, compute, *parts, scope=…)` here, for the progress engine's
  occurrences;
- the public pages (public/page_cache.py): a municipality's pages under its slug
  (`by_slug()`), the start page and the accessibility statement under NATIONAL.

Every saved, deleted or re-linked row of a watched app replaces the generations of
the municipalities whose public pages show it (`municipalities_showing()`): its own
municipality (`municipality_path`), each municipality a police area serves, each
municipality whose activities name a shared organisation. A promise or a
municipality also changes the national pages. A row of a model that names no
municipality and has no rule replaces every generation (the *epoch*, part of every
key). This app's models are watched, and those of apps that call
`register_watched_app()` in their AppConfig.ready(), where the rules of models
without a `municipality_path` are registered too (`register_scope()`). Writes that bypass the signals (bulk_create,
QuerySet.update) must call public_data_changed() themselves, as
generate_benchmark_data does. A loader of many rows (load_haninge) runs inside
`deferred()`: one new epoch at its end instead of new generations at every row.
`migrate`, run on every deploy, starts a new epoch too, so a new release's
templates show at once.
"""

import threading
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)

from .models import Municipality

EPOCH_KEY = "public:generation"
NATIONAL = "national"
# The apps whose rows are watched: this one, and those registered in their
# AppConfig.ready() with register_watched_app().
WATCHED_APPS = {"promises"}
# {"app_label.modelname": function(instance) -> municipality ids, or None for all},
# registered in the AppConfig.ready() of the model's app with register_scope().
SCOPES: dict[str, Callable] = {}
# Changes to these also change the national pages (the start page, the
# accessibility statement), which list the municipalities and their promises.
NATIONAL_MODELS = {"promises.municipality", "promises.promise"}


def register_watched_app(app_label: str) -> None:
    """Changes to this app's rows start new generations too."""
    WATCHED_APPS.add(app_label)


def register_scope(label: str, municipalities: Callable) -> None:
    """Which municipalities' pages show a row of the model `label`
    ("app_label.modelname"): `municipalities(instance)` returns their ids (empty:
    no public page shows it; None: every page may)."""
    SCOPES[label] = municipalities


def by_slug(slug: str) -> str:
    return f"s:{slug}"


def by_id(municipality_id: int) -> str:
    return f"m:{municipality_id}"


def generation(scope: str = NATIONAL) -> str:
    """The current token of a scope (NATIONAL, by_slug(), by_id()) and of the epoch.
    One cache read. A cache that keeps nothing (dummycache://) has none: then every
    call makes a new one, and nothing cached under it is ever found."""
    return generation_and(scope)[0]


def generation_and(scope: str, *keys: str) -> tuple[str, dict]:
    """generation(scope), and the values of `keys` read in the same cache read."""
    key = f"public:generation:{scope}"
    found = cache.get_many([EPOCH_KEY, key, *keys])
    tokens = []
    for name in (EPOCH_KEY, key):
        token = found.get(name)
        if token is None:
            token = uuid.uuid4().hex
            if not cache.add(name, token, timeout=None):
                token = cache.get(name, token)
        tokens.append(token)
    return ".".join(tokens), {name: found[name] for name in keys if name in found}


_deferring = threading.local()


@contextmanager
def deferred():
    """Start no generation while the block writes; at its end, if it wrote a
    watched row, a new epoch (every generation), now and at the commit. For
    loaders of many rows: each row would otherwise look up which municipalities
    show it and replace their generations. Inside the block `cached()` computes
    afresh each time: what it kept could be older than the block's writes."""
    if getattr(_deferring, "changed", None) is not None:  # nested: the outer one
        yield
        return
    _deferring.changed = False
    try:
        yield
        changed = _deferring.changed
    finally:
        _deferring.changed = None
    if changed:
        public_data_changed(None)


def public_data_changed(
    municipality_ids: Iterable[int] | None = None, national: bool = False
) -> None:
    """Start new generations now, and again once the transaction commits: a page
    rendered in between, from the data as it was, is then not kept either.

    The municipalities' (and the national pages' when `national`); everything's
    when municipality_ids is None."""
    if getattr(_deferring, "changed", None) is not None:
        _deferring.changed = True
        return
    if municipality_ids is None:
        keys = {EPOCH_KEY}
    else:
        keys = _keys_of(set(municipality_ids))
        if national:
            keys.add(f"public:generation:{NATIONAL}")
    if not keys:
        return
    _replace(keys)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        pending = {callback for _, callback, _ in connection.run_on_commit}
        for key in keys:
            callback = _REPLACERS.setdefault(key, _Replacer(key))
            if callback not in pending:
                transaction.on_commit(callback)


def _keys_of(municipality_ids: set[int]) -> set[str]:
    keys = {f"public:generation:{by_id(pk)}" for pk in municipality_ids}
    if municipality_ids:
        slugs = Municipality.objects.filter(pk__in=municipality_ids).values_list(
            "slug", flat=True
        )
        keys.update(f"public:generation:{by_slug(slug)}" for slug in slugs)
    return keys


def _replace(keys: Iterable[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


class _Replacer:
    """The on-commit callback for one key: the same object for the same key, so
    that a transaction of many changes replaces each key once at its commit."""

    def __init__(self, key: str):
        self.key = key

    def __call__(self) -> None:
        _replace([self.key])


_REPLACERS: dict[str, _Replacer] = {}


def cached(name: str, compute, *parts, scope: str = NATIONAL):
    """The value of compute() for this generation of `scope`, computed once per
    generation. With PAGE_CACHE_SECONDS = 0 nothing is kept, so nothing is
    stored (storing pickles the value: most of the cost for a few thousand rows).
    Nor inside deferred(), where the generations do not follow the writes."""
    if (
        not settings.PAGE_CACHE_SECONDS
        or getattr(_deferring, "changed", None) is not None
    ):
        return compute()
    key = ":".join(["public", name, generation(scope), *map(str, parts)])
    return cache.get_or_set(key, compute, settings.PAGE_CACHE_SECONDS)


# Which municipalities a row shows in -------------------------------------------------


def municipalities_showing(obj) -> set[int] | None:
    """The ids of the municipalities whose public pages may show the row: its rule
    in SCOPES, else its `municipality_path`; None (every municipality) for a model
    with neither, when the path cannot be followed any more, or for a migration's
    historical model (the rules know only today's fields)."""
    if type(obj).__module__ == "__fake__":
        return None
    rule = SCOPES.get(obj._meta.label_lower)
    if rule is not None:
        return rule(obj)
    path = getattr(type(obj), "municipality_path", None)
    if path is None:
        return None
    if path == "":
        return {obj.pk}
    *steps, last = path.split("__")
    target = obj
    try:
        for step in steps:
            target = getattr(target, step)
            if target is None:
                return set()
    except Exception:  # a parent already deleted: be safe, change everything
        return None
    municipality_id = getattr(target, f"{last}_id")
    return {municipality_id} if municipality_id else set()


def municipalities_of_police_area(area) -> set[int]:
    """The municipalities the police area serves (a scope: `register_scope()`)."""
    return set(area.municipalities.values_list("pk", flat=True))


def municipalities_of_organisation(organisation) -> set[int]:
    """Its own municipality, those its police area serves, and those whose
    activities name it (a shared organisation such as Trafikverket). A scope."""
    condition = Q(promises__activities__organisations=organisation)
    if organisation.municipality_id:
        condition |= Q(pk=organisation.municipality_id)
    if organisation.police_area_id:
        condition |= Q(police_area=organisation.police_area_id)
    return set(
        Municipality.objects.filter(condition).values_list("pk", flat=True).distinct()
    )


def _watched(model) -> bool:
    # The history rows (django-simple-history) change with the rows they record.
    return model._meta.app_label in WATCHED_APPS and not hasattr(model, "instance_type")


def _changed(obj, municipality_ids) -> None:
    label = obj._meta.label_lower
    public_data_changed(municipality_ids, national=label in NATIONAL_MODELS)


def _deferred_change() -> bool:
    """Inside deferred(): note the change, to be made at its end."""
    if getattr(_deferring, "changed", None) is None:
        return False
    _deferring.changed = True
    return True


def _saved(sender, instance, **kwargs):
    if _watched(sender) and not _deferred_change():
        ids = municipalities_showing(instance)
        if getattr(instance, "_public_slug_changed", False):
            ids = None  # its pages under the old address go too
        _changed(instance, ids)


def _saving(sender, instance, **kwargs):
    """A municipality's new slug: its pages under the old one must go."""
    if getattr(_deferring, "changed", None) is not None:
        return  # the new epoch at the end of deferred() takes them all
    if sender._meta.label_lower == "promises.municipality" and instance.pk:
        old = (
            sender._default_manager.filter(pk=instance.pk)
            .values_list("slug", flat=True)
            .first()
        )
        instance._public_slug_changed = old is not None and old != instance.slug


def _deleting(sender, instance, **kwargs):
    """Before the rows go: afterwards their links cannot be followed."""
    if _watched(sender) and getattr(_deferring, "changed", None) is None:
        instance._public_municipalities = municipalities_showing(instance)


def _deleted(sender, instance, **kwargs):
    if _watched(sender) and not _deferred_change():
        _changed(instance, getattr(instance, "_public_municipalities", None))


def _relinked(sender, instance, action, model, pk_set, **kwargs):
    if not _watched(sender) or action.startswith("pre_") and action != "pre_clear":
        return
    if _deferred_change():
        return
    ids = municipalities_showing(instance)
    if ids is None and hasattr(model, "municipality_path") and pk_set:
        # E.g. a user added to a municipality's staff: the municipality's rows.
        ids = set()
        for other in model._default_manager.filter(pk__in=pk_set):
            shown = municipalities_showing(other)
            if shown is None:
                ids = None
                break
            ids |= shown
    _changed(instance, ids)


def _deployed(sender, **kwargs):
    """`migrate` runs on every deploy: pages of the old release are not served."""
    _replace([EPOCH_KEY])


def connect_signals() -> None:
    post_save.connect(_saved, dispatch_uid="public-cache-save")
    pre_save.connect(_saving, dispatch_uid="public-cache-slug")
    pre_delete.connect(_deleting, dispatch_uid="public-cache-deleting")
    post_delete.connect(_deleted, dispatch_uid="public-cache-delete")
    m2m_changed.connect(_relinked, dispatch_uid="public-cache-m2m")
    post_migrate.connect(_deployed, dispatch_uid="public-cache-deploy")
