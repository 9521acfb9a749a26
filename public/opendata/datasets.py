"""The datasets, each with its columns documented in Swedish for the people who
download it. Adding a dataset is adding one entry to DATASETS."""

from django.utils.translation import gettext_lazy as _

from .columns import (
    CODE,
    DATE,
    DECIMAL,
    INTEGER,
    TEXT,
    TEXT_LIST,
    YES_NO,
    Column,
    Dataset,
)
from .rows import (
    activity_rows,
    deployment_week_rows,
    finding_rows,
    goal_rows,
    indicator_rows,
    period_rows,
    problem_rows,
    progress_rows,
    summary_rows,
    topic_rows,
)

KIND_DOC = _(
    "Typ av aktivitet: inventory (trygghetsinventering), presence (synlig närvaro), "
    "youth_visit (besök i ungdomsmiljö), deployment (fredagsutsättning), "
    "youth_coordination (samverkan kring unga i riskzon), traffic "
    "(trafiksäkerhetsinsats), dialogue (trygghetsdialog), other (övrigt) eller en "
    "typ som kommunen själv har lagt till: own-<nummer>, med namnet i typ_namn."
)
PLACE_DOC = _(
    "Typ av plats: public_transport (kollektivtrafik), hub (kommunikationspunkt), "
    "centre (centrumanläggning), youth_environment (ungdomsmiljö), school (skola) "
    "eller other (annan plats). Tomt om det inte angetts."
)

OUTCOME_DOC = _(
    "Utfallet: open (ej åtgärdat), planned (planerat), referred (överlämnat), "
    "not_fixed (åtgärdas inte) eller fixed (åtgärdat)."
)

DATASETS: dict[str, Dataset] = {
    "aktiviteter": Dataset(
        title=_("Aktiviteter"),
        description=_(
            "Genomförda aktiviteter som visas i detalj på webbplatsen, en rad per "
            "aktivitet, äldst först. Polisens insatser finns inte här: de redovisas "
            "bara som antal, i sammanställningen och veckorna med utsättning."
        ),
        columns=(
            Column(
                "id",
                INTEGER,
                _("Aktivitetens nummer. Dess sida är …/aktivitet/<id>/."),
            ),
            Column("datum", DATE, _("Dagen då aktiviteten genomfördes.")),
            Column("typ", CODE, KIND_DOC),
            Column("typ_namn", TEXT, _("Typen av aktivitet i klartext.")),
            Column("rubrik", TEXT, _("Aktivitetens rubrik.")),
            Column("sammanfattning", TEXT, _("Vad som gjordes.")),
            Column("kommundelar", TEXT_LIST, _("Kommundelarna där det skedde.")),
            Column(
                "organisationer",
                TEXT_LIST,
                _("Organisationerna som deltog: polisen, kommunen, samverkansparter."),
            ),
            Column(
                "atagande_id",
                TEXT_LIST,
                _(
                    "Numren på åtagandena som aktiviteten genomför (se framsteg): "
                    "bara deras mål räknar den. Tomt om den inte hör till något."
                ),
            ),
            Column("platstyp", CODE, PLACE_DOC),
            Column("platstyp_namn", TEXT, _("Typen av plats i klartext.")),
            Column(
                "lokal",
                TEXT,
                _("Lokalen eller adressen, för trygghetsdialoger: där mötet hölls."),
            ),
            Column(
                "antal_medverkande",
                INTEGER,
                _("Antal medverkande från organisationerna."),
            ),
            Column(
                "antal_invanare",
                INTEGER,
                _(
                    "Antal invånare som deltog eller möttes; för en trygghetsdialog "
                    "antalet besökare."
                ),
            ),
            Column(
                "varfor_kommundelen",
                TEXT,
                _("För trygghetsinventeringar: varför kommundelen valdes."),
            ),
            Column(
                "invanarna_tog_upp",
                TEXT,
                _("För trygghetsdialoger: vad invånarna tog upp."),
            ),
        ),
        rows=activity_rows,
    ),
    "sammanstallning": Dataset(
        title=_("Sammanställning per kvartal"),
        description=_(
            "Antal genomförda aktiviteter per kvartal, typ och typ av plats, även "
            "polisens insatser som inte visas en och en. En rad per kombination "
            "som förekommer."
        ),
        columns=(
            Column("ar", INTEGER, _("År.")),
            Column("kvartal", INTEGER, _("Kvartal, 1–4.")),
            Column("typ", CODE, KIND_DOC),
            Column("typ_namn", TEXT, _("Typen av aktivitet i klartext.")),
            Column("platstyp", CODE, PLACE_DOC),
            Column("platstyp_namn", TEXT, _("Typen av plats i klartext.")),
            Column("antal", INTEGER, _("Antal genomförda aktiviteter.")),
        ),
        rows=summary_rows,
    ),
    "utsattningsveckor": Dataset(
        title=_("Veckor med fredagsutsättning"),
        description=_(
            "Veckorna då polisen och kommunen har hållit en gemensam utsättning. "
            "Tider, platser och bemanning redovisas inte."
        ),
        columns=(
            Column("ar", INTEGER, _("År enligt ISO 8601-veckonumreringen.")),
            Column("vecka", INTEGER, _("Veckonummer, 1–53.")),
        ),
        rows=deployment_week_rows,
    ),
    "framsteg": Dataset(
        title=_("Framsteg per mål"),
        description=_(
            "Hur långt kommunen och polisen har kommit med varje mål i löftet, "
            "beräknat av det som genomförts. Samma siffror som på webbplatsen."
        ),
        columns=(
            Column("atagande_id", INTEGER, _("Åtagandets nummer.")),
            Column("fokusomrade", TEXT, _("Fokusområdet åtagandet hör till.")),
            Column("atagande", TEXT, _("Åtagandets korta rubrik.")),
            Column("atagande_text", TEXT, _("Åtagandet i sin helhet.")),
            Column(
                "lovar",
                TEXT,
                _(
                    "Vem som lovar, i ord: t.ex. ”Kommunen och polisen” eller "
                    "”Kustbevakningen”. Tomt om åtagandet inte namnger någon."
                ),
            ),
            Column(
                "parter",
                TEXT_LIST,
                _("Organisationerna som lovar åtagandet, med sina namn."),
            ),
            Column("mal_id", INTEGER, _("Målets nummer.")),
            Column("mal", TEXT, _("Målet, t.ex. ”Trygghetsdialog: 4 per år”.")),
            Column(
                "typ",
                CODE,
                _(
                    "Vad som räknas: en typ av aktivitet (se aktiviteter), report "
                    "(publicerad rapport) eller evaluation (utvärdering)."
                ),
            ),
            Column(
                "status",
                CODE,
                _(
                    "behind (efter), not_started (ej påbörjat), on_track (i fas), "
                    "done (klart) eller no_target (inget mätbart mål)."
                ),
            ),
            Column("status_namn", TEXT, _("Status i klartext.")),
            Column(
                "sammanfattning", TEXT, _("Siffrorna i ord, t.ex. ”3 av 4 fredagar”.")
            ),
            Column(
                "antal_aktiviteter",
                INTEGER,
                _("Genomförda aktiviteter av typen hittills, även de som inte räknas."),
            ),
            Column(
                "genomfort",
                INTEGER,
                _("Det som räknas mot målet hittills. Tomt utan mätbart mål."),
            ),
            Column("kravs", INTEGER, _("Det som krävs för hela löftets period.")),
            Column("vantat_hittills", INTEGER, _("Det som borde vara gjort i dag.")),
            Column("procent", INTEGER, _("Andel av målet för hela perioden, 0–100.")),
            Column("senast", DATE, _("Den senaste genomförda aktiviteten av typen.")),
            Column("beraknat", DATE, _("Dagen då framstegen beräknades.")),
        ),
        rows=progress_rows,
    ),
    "framsteg-perioder": Dataset(
        title=_("Framsteg per mål och period"),
        description=_(
            "Varje måls perioder (vecka, månad, kvartal, halvår eller år) med vad "
            "som krävdes och vad som gjordes."
        ),
        columns=(
            Column("atagande_id", INTEGER, _("Åtagandets nummer.")),
            Column("mal_id", INTEGER, _("Målets nummer (se framsteg).")),
            Column("period", TEXT, _("Perioden, t.ex. ”kvartal 2 2026”.")),
            Column("start", DATE, _("Periodens första dag.")),
            Column("slut", DATE, _("Periodens sista dag.")),
            Column("kravs", INTEGER, _("Det som krävs under perioden.")),
            Column("vantat_hittills", INTEGER, _("Det som borde vara gjort i dag.")),
            Column("genomfort", INTEGER, _("Det som gjorts under perioden.")),
            Column(
                "kommundelar",
                INTEGER,
                _("Antal olika kommundelar där det gjordes."),
            ),
            Column("uppfyllt", YES_NO, _("Om målet för perioden är uppfyllt.")),
            Column("avslutad", YES_NO, _("Om perioden är slut.")),
        ),
        rows=period_rows,
    ),
    "iakttagelser": Dataset(
        title=_("Iakttagelser från trygghetsinventeringar"),
        description=_(
            "Brister som hittades vid trygghetsinventeringarna och om de har "
            "åtgärdats: ”ni sa, vi gjorde”."
        ),
        columns=(
            Column("id", INTEGER, _("Iakttagelsens nummer.")),
            Column("plats", TEXT, _("Var bristen finns.")),
            Column(
                "kategori",
                CODE,
                _(
                    "lighting (belysning), vegetation (växtlighet och sikt), "
                    "graffiti (klotter och skadegörelse), traffic (trafik och "
                    "övergångsställen), litter (nedskräpning) eller other (övrigt)."
                ),
            ),
            Column("kategori_namn", TEXT, _("Kategorin i klartext.")),
            Column("beskrivning", TEXT, _("Bristen beskriven.")),
            Column("kommundel", TEXT, _("Kommundelen.")),
            Column("ansvarig", TEXT, _("Organisationen som ansvarar för åtgärden.")),
            Column("status", CODE, OUTCOME_DOC),
            Column("status_namn", TEXT, _("Utfallet i klartext.")),
            Column("atgardat_datum", DATE, _("Dagen då bristen åtgärdades.")),
            Column(
                "dagar_till_atgard",
                INTEGER,
                _("Dagar från inventeringen till åtgärden; bara för fixed."),
            ),
            Column(
                "planerat_datum", DATE, _("När åtgärden är planerad; bara för planned.")
            ),
            Column(
                "overlamnat_till",
                TEXT,
                _(
                    "Vem bristen lämnades över till, t.ex. Trafikverket; bara för referred."
                ),
            ),
            Column(
                "skal_ej_atgard",
                TEXT,
                _("Varför bristen inte åtgärdas; bara för not_fixed."),
            ),
            Column(
                "ateroppnad_datum",
                DATE,
                _("Senaste dagen problemet kom tillbaka och bristen öppnades igen."),
            ),
            Column(
                "antal_ateroppningar",
                INTEGER,
                _("Hur många gånger bristen har öppnats igen."),
            ),
            Column(
                "inventering_id",
                INTEGER,
                _("Trygghetsinventeringens nummer (id i aktiviteter)."),
            ),
            Column("inventering_datum", DATE, _("Dagen för trygghetsinventeringen.")),
        ),
        rows=finding_rows,
    ),
    "dialogamnen": Dataset(
        title=_("Ni sa – vi gjorde: ämnen från trygghetsdialoger"),
        description=_(
            "Det invånarna tog upp på trygghetsdialogerna, en rad per ämne, och vad "
            "som svarar mot det: ett åtagande eller en brist från en "
            "trygghetsinventering (utfallet finns i iakttagelser)."
        ),
        columns=(
            Column("id", INTEGER, _("Ämnets nummer.")),
            Column(
                "dialog_id", INTEGER, _("Trygghetsdialogens nummer (id i aktiviteter).")
            ),
            Column("dialog_datum", DATE, _("Dagen för trygghetsdialogen.")),
            Column("amne", TEXT, _("Det invånarna tog upp.")),
            Column("plats", TEXT, _("Var, om det angetts.")),
            Column("kommundelar", TEXT_LIST, _("Kommundelarna ämnet gäller.")),
            Column("atagande_id", INTEGER, _("Åtagandet som svarar mot ämnet.")),
            Column("atagande", TEXT, _("Åtagandets rubrik.")),
            Column(
                "iakttagelse_id",
                INTEGER,
                _("Bristen som svarar mot ämnet (id i iakttagelser)."),
            ),
            Column("iakttagelse_utfall", CODE, OUTCOME_DOC),
            Column("iakttagelse_utfall_namn", TEXT, _("Utfallet i klartext.")),
        ),
        rows=topic_rows,
    ),
    "problem": Dataset(
        title=_("Problemen bakom åtagandena"),
        description=_(
            "Vilket problem varje åtagande ska minska: var och sedan när, var det "
            "syntes, orsakerna, typen av åtgärd och vilka som ansvarar."
        ),
        columns=(
            Column("atagande_id", INTEGER, _("Åtagandets nummer.")),
            Column("atagande", TEXT, _("Åtagandets rubrik.")),
            Column("problem", TEXT, _("Problemet.")),
            Column("kommundelar", TEXT_LIST, _("Var problemet finns.")),
            Column("sedan_ar", INTEGER, _("Året problemet har funnits sedan.")),
            Column(
                "kalla",
                CODE,
                _(
                    "survey (trygghetsmätning), situation (lägesbild), dialogue "
                    "(trygghetsdialog) eller crimes (anmälda brott)."
                ),
            ),
            Column("kalla_namn", TEXT, _("Källan i klartext.")),
            Column("orsaker", TEXT, _("En kort orsaksanalys.")),
            Column(
                "typ_av_atgard",
                CODE,
                _("situational (situationell, platsen) eller social (människorna)."),
            ),
            Column("typ_av_atgard_namn", TEXT, _("Typen av åtgärd i klartext.")),
            Column(
                "tidsperspektiv", CODE, _("short (kortsiktig) eller long (långsiktig).")
            ),
            Column("tidsperspektiv_namn", TEXT, _("Tidsperspektivet i klartext.")),
            Column("ansvariga", TEXT_LIST, _("Organisationerna som ansvarar.")),
        ),
        rows=problem_rows,
    ),
    "mal": Dataset(
        title=_("Mål för indikatorer"),
        description=_(
            "Vad åtagandena ska förändra: en indikator från ett utgångsvärde till "
            "ett målvärde senast ett visst datum. Värdena finns i indikatorer."
        ),
        columns=(
            Column("atagande_id", INTEGER, _("Åtagandets nummer.")),
            Column("atagande", TEXT, _("Åtagandets rubrik.")),
            Column("indikator", TEXT, _("Vad som mäts.")),
            Column("enhet", TEXT, _("Enheten.")),
            Column(
                "utgangsvarde",
                DECIMAL,
                _(
                    "Värdet när arbetet började. Tomt för ett antal under 5 av en "
                    "indikator som inte visar små antal."
                ),
            ),
            Column("utgangsar", INTEGER, _("Året utgångsvärdet gäller.")),
            Column(
                "malvarde",
                DECIMAL,
                _(
                    "Värdet som ska nås. Tomt för ett antal under 5 av en indikator "
                    "som inte visar små antal."
                ),
            ),
            Column("mal_senast", DATE, _("Dagen målvärdet ska vara nått.")),
        ),
        rows=goal_rows,
    ),
    "indikatorer": Dataset(
        title=_("Indikatorer"),
        description=_(
            "Trygghetsmätningens resultat och anmälda brott per kommundel och år, "
            "som används i uppföljningen och utvärderingen, och antal händelser "
            "per kommundel och kvartal från samverkansparternas rapporter."
        ),
        columns=(
            Column("indikator", TEXT, _("Vad som mäts.")),
            Column("enhet", TEXT, _("Enheten, t.ex. % eller per 1 000 invånare.")),
            Column("kalla", TEXT, _("Varifrån siffran kommer.")),
            Column("hogre_ar_battre", YES_NO, _("Om ett högre värde är bättre.")),
            Column("kommun", TEXT, _("Kommunen.")),
            Column("kommundel", TEXT, _("Kommundelen; tomt för hela kommunen.")),
            Column("ar", INTEGER, _("Året värdet gäller.")),
            Column(
                "kvartal",
                INTEGER,
                _("Kvartalet (1–4) för ett antal per kvartal; tomt för hela året."),
            ),
            Column(
                "varde",
                DECIMAL,
                _(
                    "Värdet. Tomt när ett antal händelser är under 5: det visas "
                    "aldrig som tal, se varde_text."
                ),
            ),
            Column(
                "varde_text",
                TEXT,
                _(
                    "Värdet som webbplatsen visar det, med komma som decimaltecken, "
                    "eller ”färre än 5” för ett antal händelser under 5."
                ),
            ),
        ),
        rows=indicator_rows,
    ),
}
