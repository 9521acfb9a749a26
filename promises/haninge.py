"""Haninge's medborgarlöfte as data, from docs/seed/haninge-medborgarloften.txt:
its introduction, focus areas, commitments and targets.

`load_haninge` loads it (promises/demo.py), and a new promise made from no
template of the municipality's own starts from it ("Nytt medborgarlöfte från
mall", promises/workflows.py).
"""

from .models import ActivityKind as Kind
from .models import Target

INTRODUCTION = """\
Samverkan mellan kommun och polis är viktigt för att tillsammans kunna verka \
effektivt i det brottsförebyggande arbetet. Arbetet med medborgarlöftet är ett \
resultat av samverkansavtalet tillsammans med trygghetsdialoger och trygghetsmätning.

Medborgarlöftet innefattar åtgärder som ska hantera lokala problem, öka tryggheten \
och minska brottsligheten i kommunen. Genom medborgarlöftet ska polis och kommun \
gemensamt utföra insatser som direkt riktar sig till medborgarnas upplevda trygghet \
och den faktiska tryggheten.

Områdena nedan har kommit fram som prioriterade önskemål hos invånarna i Haninge \
kommun, i trygghetsdialoger och trygghetsmätningar."""

# The commitments the police promise alone ("Polisen ska öka sin synliga
# närvaro"); the municipality and the police promise the others together.
POLICE_ALONE = {"Synlig polisnärvaro i kollektivtrafik och centrum"}

# (focus area, [(short title, full text, [target fields])]) from the seed.
FOCUS_AREAS = [
    (
        "Trygghet i offentlig miljö",
        [
            (
                "Gemensamma trygghetsinventeringar",
                "Genomföra gemensamma trygghetsinventeringar, två stycken per halvår, "
                "där kommundelar väljs utifrån trygghetsmätning och en lägesbild som "
                "framkommit i gemensamma mötesforum.",
                [
                    {
                        "kind": Kind.INVENTORY,
                        "count": 2,
                        "period": Target.Period.HALF_YEAR,
                        "joint": True,
                    }
                ],
            ),
            (
                "Synlig polisnärvaro i kollektivtrafik och centrum",
                "Polisen ska öka sin synliga närvaro i kollektivtrafiken, vid "
                "kommunikationspunkter och centrumanläggningar. Målet utöver den "
                "vardagliga linjeverksamheten är att också göra dessa riktade insatser "
                "i samverkan med andra aktörer.",
                [{"kind": Kind.PRESENCE, "period": Target.Period.QUARTER}],
            ),
            (
                "Regelbundna besök i ungdomsmiljöer",
                "Polisen och representanter från kommunens olika verksamheter ska "
                "regelbundet besöka ungdomsmiljöer för att etablera kontakter och öka "
                "tryggheten.",
                [
                    {
                        "kind": Kind.YOUTH_VISIT,
                        "count": 1,
                        "period": Target.Period.MONTH,
                    }
                ],
            ),
            (
                "Veckovisa utsättningar på fredagar",
                "Genomföra veckovisa utsättningar (fredagar) med delning av operativ "
                "lägesbild.",
                [
                    {
                        "kind": Kind.DEPLOYMENT,
                        "count": 1,
                        "period": Target.Period.WEEK,
                        "weekday": Target.Weekday.FRIDAY,
                    }
                ],
            ),
        ],
    ),
    (
        "Samverkan kring förebyggande arbete med fokus på barn och unga",
        [
            (
                "Förebygga att unga hamnar i kriminalitet",
                "Inom samverkansavtalet mellan polis och kommun förbinder vi oss att "
                "jobba aktivt för att förebygga och hindra att ungdomar hamnar inom "
                "kriminalitet. Detta genom en samverkan där aktuell lägesbild delas och "
                "insatser prioriteras inom respektive verksamhet gällande ungdomar i "
                "riskzon.",
                [{"kind": Kind.YOUTH_COORDINATION, "period": Target.Period.QUARTER}],
            )
        ],
    ),
    (
        "Trafik",
        [
            (
                "Ökad trafiksäkerhet",
                "Polisen och kommunen ska i samverkan verka för att öka "
                "trafiksäkerheten inom kommunen. Detta genom att utgå från en gemensam "
                "lägesbild inom respektive ansvarsområde för att öka tryggheten och "
                "säkerheten i trafiken.",
                [{"kind": Kind.TRAFFIC, "period": Target.Period.QUARTER}],
            )
        ],
    ),
    (
        "Trygghetsdialoger",
        [
            (
                "Minst fyra trygghetsdialoger i olika delar av kommunen",
                "Tillsammans ska kommun och polis genomföra minst fyra "
                "trygghetsdialoger i olika delar av kommunen.",
                [
                    {
                        "kind": Kind.DIALOGUE,
                        "count": 4,
                        "period": Target.Period.YEAR,
                        "min_districts": 4,
                    }
                ],
            )
        ],
    ),
    (
        "Uppföljning",
        [
            (
                "Berätta för invånarna minst fyra gånger om året",
                "Medborgarlöftena följs kontinuerligt upp av parterna under året. Minst "
                "fyra gånger under året berättar vi för invånarna hur vi arbetat med "
                "medborgarlöftet, på respektive organisations sociala mediekanaler "
                "och/eller hemsidor.",
                [{"kind": Target.REPORT, "count": 4, "period": Target.Period.YEAR}],
            )
        ],
    ),
    (
        "Utvärdering",
        [
            (
                "Gemensam utvärdering vid årets slut",
                "I slutet av året utvärderar parterna tillsammans medborgarlöftena. Vi "
                "följer upp och, där det är möjligt, analyserar om aktiviteterna har "
                "haft effekt på tryggheten och/eller brottsligheten.",
                [{"kind": Target.EVALUATION, "count": 1, "period": Target.Period.YEAR}],
            )
        ],
    ),
]
