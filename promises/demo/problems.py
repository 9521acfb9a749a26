"""The problems behind some of Haninge's commitments, for the demo."""

from ..models import (
    Activity,
    Commitment,
    Promise,
)
from .places import HANINGE, organisations_of, upsert

Kind = Activity.Kind
Place = Activity.PlaceType

PROBLEMS = {
    "Gemensamma trygghetsinventeringar": {
        "problem": "Många känner sig otrygga i gångtunnlar och på gångvägar när det "
        "är mörkt, särskilt kring Handens och Jordbros stationer.",
        "districts": ["Handen", "Jordbro"],
        "since": 2,  # years before this one
        "source": "survey",
        "cause_analysis": "Trasig och för svag belysning, buskage som skymmer sikten "
        "och platser där få människor rör sig på kvällen.",
        "measure_kind": "situational",
        "measure_term": "short",
        "responsible": [
            HANINGE,
            "Haninge Bostäder",
            "Fastighetsägare i Haninge centrum",
        ],
    },
    "Synlig polisnärvaro i kollektivtrafik och centrum": {
        "problem": "Ordningsstörningar och stölder vid pendeltågsstationer och i "
        "centrumanläggningar, mest på fredags- och lördagskvällar.",
        "districts": ["Handen", "Västerhaninge"],
        "since": 3,
        "source": "crimes",
        "cause_analysis": "Många människor samlas på samma platser sent på kvällen, "
        "och få vuxna är i rörelse där.",
        "measure_kind": "situational",
        "measure_term": "short",
        "responsible": [
            "Region Stockholm, Trafikförvaltningen (SL)",
            "Bevakningsföretag i Handen",
        ],
    },
    "Förebygga att unga hamnar i kriminalitet": {
        "problem": "Fler unga under 18 år misstänks för brott, och fler rekryteras "
        "till kriminella nätverk.",
        "districts": ["Jordbro", "Brandbergen"],
        "since": 2,
        "source": "situation",
        "cause_analysis": "Skolfrånvaro, få meningsfulla fritidsaktiviteter och "
        "äldre förebilder i kriminella miljöer.",
        "measure_kind": "social",
        "measure_term": "long",
        "responsible": [HANINGE],
    },
    "Minst fyra trygghetsdialoger i olika delar av kommunen": {
        "problem": "Invånarna säger att de sällan får veta vad som händer efter att "
        "de berättat om en otrygg plats.",
        "districts": [],
        "since": 1,
        "source": "dialogue",
        "cause_analysis": "Återkopplingen efter dialogerna har inte haft någon ägare.",
        "measure_kind": "social",
        "measure_term": "long",
        "responsible": [HANINGE],
    },
}


def load_demo_problems(promise: Promise) -> None:
    """The problems of PROBLEMS on the promise's commitments; last year's public
    dialogues as the source of the dialogue commitment's."""
    municipality = promise.municipality
    districts = {d.name: d for d in municipality.districts.all()}
    organisations = {o.name: o for o in organisations_of(municipality)}
    for title, problem in PROBLEMS.items():
        commitment = Commitment.objects.filter(
            focus_area__promise=promise, title=title
        ).first()
        if commitment is None:
            continue
        upsert(
            Commitment,
            {"pk": commitment.pk},
            {
                "problem": problem["problem"],
                "problem_since": promise.year - problem["since"],
                "problem_source": problem["source"],
                "cause_analysis": problem["cause_analysis"],
                "measure_kind": problem["measure_kind"],
                "measure_term": problem["measure_term"],
            },
        )
        commitment.problem_districts.set(
            [districts[name] for name in problem["districts"] if name in districts]
        )
        # The partners answer with the parties that promise.
        commitment.responsible_organisations.add(
            *[organisations[n] for n in problem["responsible"] if n in organisations]
        )
        if problem["source"] == "dialogue":
            commitment.source_dialogues.set(
                Activity.objects.public_in_detail().filter(
                    promise__municipality=municipality,
                    promise__year=promise.year - 1,
                    kind=Kind.DIALOGUE,
                )
            )
