"""Language data for fact extraction: triggers, unit nouns, blockers, modality cues, hazards.

One ``LanguageData`` per language, reached only through ``get_language_data(code)``. Patterns are
regular expressions over *lower-cased* text; they are compiled once here. Adding a language means
adding one entry to ``_LANGUAGES`` (and, for figures, number words in ``numbers.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

Pattern = re.Pattern[str]


@dataclass(frozen=True, slots=True)
class LanguageData:
    code: str
    #: Cheap literal stems: a paragraph without any of them is never analysed further.
    stems: tuple[str, ...]
    #: (pattern, term) for people: the word that says what happened to the counted people.
    person_triggers: tuple[tuple[Pattern, str], ...]
    #: Generic movement verbs ("left", "leave"): used only when no specific trigger is near.
    weak_triggers: tuple[tuple[Pattern, str], ...]
    #: (pattern, term) for dwellings: destroyed / damaged / uninhabitable.
    housing_triggers: tuple[tuple[Pattern, str], ...]
    #: Nouns that are themselves a displaced status ("IDPs", "evacuees"), with their term.
    status_nouns: tuple[tuple[Pattern, str], ...]
    person_nouns: Pattern
    household_nouns: Pattern
    housing_nouns: Pattern
    #: What a figure must not count: deaths, injured, missing, affected, trapped, returns, …
    negative_cues: Pattern
    #: Counts of a broader group ("affected", "in need"): lose only to a nearer displacement word.
    weak_negative_cues: Pattern
    #: Numbers that describe capacity or population rather than a movement.
    capacity_cues: Pattern
    #: Planned/forecast/conditional wording: the fact is ``expected``.
    future_cues: Pattern
    #: Evacuations that move nobody out of a home: flights, ships, airports, bomb threats, buildings.
    transient_evacuation: Pattern
    #: Not a real displacement at all (drills, medicine, markets, physics).
    blockers: Pattern
    #: A destination word shortly before a place ("for opposition areas in northern Syria").
    destination_preps: Pattern
    #: An origin word right before a place ("from al-Waer").
    origin_preps: Pattern
    #: Hazard → keywords; conflict is one of them.
    hazards: tuple[tuple[str, Pattern], ...]


def _c(pattern: str) -> Pattern:
    # a space in a pattern matches any run of whitespace: sentences may be hard-wrapped
    return re.compile(pattern.replace(" ", r"\s+"), re.IGNORECASE)


def _pairs(items: list[tuple[str, str]]) -> tuple[tuple[Pattern, str], ...]:
    return tuple((_c(p), term) for p, term in items)


_EN = LanguageData(
    code="en",
    stems=(
        "refuge",
        "displac",
        "evacu",
        "fled",
        "flee",
        "fleeing",
        "homeless",
        "shelter",
        "camp",
        "relocat",
        "resettl",
        "destroy",
        "damag",
        "uninhabitable",
        "flatten",
        "razed",
        "washed away",
        "swept away",
        "forced from",
        "forced out",
        "driven from",
        "driven out",
        "left their home",
        "lost their home",
        "idp",
        "refugee",
        "uproot",
        "escaped",
        "moved out",
        "moved to",
        "leave",
        "left",
        "leaving",
        "collapsed",
        "buried",
        "gutted",
        "burned",
        "burnt",
        "torched",
        "levelled",
        "leveled",
        "rendered",
        "housed",
        "transferred",
        "bused",
        "rescued",
        "boarded",
        "convoy",
        "headed",
        "forced",
        "lost their",
        "destruction",
    ),
    person_triggers=_pairs(
        [
            (
                # made homeless by something; "homeless people" in a city is another story
                r"\b(?:left|leaving|leave|leaves|made|rendered|become|became|becoming|are|were|is|was|been|now|"
                r"remain|remained|remains|remaining|render) (?:\w+ )?homeless\b|"
                r"\b(?:left|leaving|leaves|made|rendered) (?:\S+ ){1,4}homeless\b|\bhomeless (?:after|by|following|"
                r"due to|because of|as a result|in the wake)\b|\bwithout (?:a )?(?:homes?|shelter|a roof)\b|"
                r"\bhouseless\b",
                "homeless",
            ),
            (r"\b(?:lost|lose|losing) (?:their|his|her) (?:homes?|houses?)\b", "homeless"),
            (
                r"\b(?:relief|displacement|idp|refugee|evacuation|transit|tent|temporary) (?:camps?|sites?|settlements?)\b"
                r"|\bcamps? for (?:the )?(?:displaced|idps)\b|\b(?:in|into|to|at) (?:\w+ ){0,3}camps?\b",
                "in_relief_camp",
            ),
            (
                r"\b(?:shelters?|sheltered|sheltering|shelter centres?|evacuation (?:centres?|centers?)|"
                r"relief centres?|relief centers?|gymnasiums?|schools? turned|community (?:centres?|centers?)|"
                r"temporary accommodation|housed|taking refuge|took refuge|sought refuge|seeking refuge|"
                r"in need of (?:emergency )?shelter|(?:living|staying|sleeping|housed) in (?:\w+ )?tents)\b",
                "sheltered",
            ),
            (
                r"\b(?:evacuat\w*|evacuees?|moved out|bused|bussed|airlifted|ferried|were moved|been moved|"
                r"be moved|rescued and moved|transferred)\b",
                "evacuated",
            ),
            (r"\b(?:relocat\w*|resettl\w*|moved to (?:safer|new|higher|other))\b", "relocated"),
            (
                r"\bforced(?=(?:\W+\w+){0,6}?\W+(?:from|out|to flee|to leave|to abandon)\b)|"
                r"\b(?:fled|flee|flees|fleeing|flight|"
                r"driven (?:from|out)|drove out|uprooted|escaped|run for their lives|ran for their lives|"
                r"abandon(?:ed)? their (?:homes?|villages?))\b",
                "forced_to_flee",
            ),
            (
                r"\b(?:displac\w*|idps?|internally displaced|left their homes?|leave their homes?)\b",
                "displaced",
            ),
        ]
    ),
    weak_triggers=_pairs(
        [
            (
                r"\b(?:left|leave|leaving|leaves|departed|departure|boarded|headed|heading|gone|went|moved|convoys?|"
                r"travell?ed|arrived|crossed|made their way)\b",
                "evacuated",
            ),
        ]
    ),
    housing_triggers=_pairs(
        [
            (
                r"\buninhabitable\b|\bunliveable\b|\bunlivable\b|\bunsafe (?:to|for) (?:live|living|habitation)\b",
                "uninhabitable_housing",
            ),
            (
                r"\b(?:partially|partly) (?:destroyed|collapsed|damaged)\b|\bdamag\w*\b|\bcracked\b|"
                r"\bunroofed\b|\broofs? (?:torn|blown)\b",
                "partially_destroyed_housing",
            ),
            (
                r"\b(?:destroy\w*|destruction|flattened|razed|levell?ed|washed away|swept away|collapsed|buried|gutted|"
                r"burn(?:ed|t) (?:down|to the ground)|burned|burnt|torched|demolished|reduced to rubble|"
                r"completely damaged|totally damaged|fully damaged|wiped out|obliterated|lost)\b",
                "destroyed_housing",
            ),
        ]
    ),
    status_nouns=_pairs(
        [
            (
                r"\b(?:idps?|internally displaced (?:people|persons)|displaced (?:people|persons|residents|"
                r"families|civilians|villagers))\b",
                "displaced",
            ),
            (r"\bevacuees\b", "evacuated"),
        ]
    ),
    person_nouns=_c(
        r"(?:people|persons?|residents?|civilians?|villagers?|inhabitants?|individuals?|children|"
        r"kids|women|men|girls|boys|adults|elderly|students|pupils|patients|passengers|tourists|"
        r"workers|migrants|refugees?|idps?|evacuees|displaced|survivors|rebels?|fighters?|"
        r"gunmen|militants|insurgents|combatants|soldiers|members|citizens|nationals|locals|"
        r"farmers|herders|fishermen|pastoralists|dwellers|occupants|tenants|homeowners|others|"
        r"souls|christians|muslims|yazidis|rohingya|syrians|iraqis|afghans|people's)"
    ),
    household_nouns=_c(r"(?:famil(?:y|ies)|households?)"),
    housing_nouns=_c(
        r"(?:houses?|homes?|dwellings?|buildings?|structures?|residences?|huts?|shelters?|shacks?|"
        r"housing units?|apartments?|flats|trailers?|mobile homes|tents?|homesteads?|cottages?|"
        r"housing|units)"
    ),
    negative_cues=_c(
        r"\b(?:kill\w*|dead|died|die|dying|deaths?|death toll|lives|bodies|perished|drowned|"
        r"fatalit\w*|casualt\w*|injur\w*|wounded|hurt|missing|unaccounted|"
        r"trapped|stranded|besieged|marooned|cut off|returned|returning|return|returnees?|went back|"
        r"go back|came back|stay(?:ed|ing|s)? (?:behind|put|at home|in their homes)|remain(?:ed|ing|s)? (?:in|at) (?:their|his|her) (?:homes?|houses?|villages?)|remain(?:ed|ing|s)? behind|arrested|detained|"
        r"abducted|kidnapped|hostages?|vaccinated|infected|cases|sick|ill|treated|"
        r"registered voters|voters|votes|jobs|employees|staff|police|firefighters|troops|personnel|"
        r"volunteers|rescuers|officers|crews?|without (?:power|electricity|water|light))\b"
    ),
    weak_negative_cues=_c(
        r"\b(?:affected|impacted|fed|received (?:aid|food|assistance)|in need of (?:food|aid|assistance|"
        r"humanitarian)|require (?:food|aid)|need (?:food|aid)|benefit\w*|reached|assisted|at risk)\b"
    ),
    capacity_cues=_c(
        r"\b(?:capacity|can (?:accommodate|house|hold|host|shelter)|able to (?:accommodate|house|host|hold)|"
        r"enough (?:room|space) for|designed (?:for|to)|home to|population of|populations? (?:is|was)|"
        r"inhabitants|a city of|a town of|built (?:for|to)|ready to (?:receive|host|house)|"
        r"prepared (?:to|for)|could house|can take|up to \S+ (?:people|persons) (?:each|per))\b"
    ),
    future_cues=_c(
        r"\b(?:will|would|shall|'ll|going to|are to|is to|due to (?:leave|be|depart)|are due|is due|"
        r"expected|set to|plans? to|planned|planning|scheduled|aims? to|intends? to|could|may|might|"
        r"to be (?:evacuated|moved|relocated|transferred|resettled)|are being prepared|"
        r"preparing to|ready to leave|likely to|forecast|projected|at risk of|risk|potentially)\b"
    ),
    transient_evacuation=_c(
        r"\b(?:flights?|planes?|aircraft|airliner|airports?|terminals?|passengers|crew|cruise ships?|on board|"
        r"aboard|vessels?|ferry|subway|malls?|stadiums?|arenas?|concerts?|bomb threats?|suspicious "
        r"(?:package|item|device|object)|gas leak|fire alarm|emergency landing|embassy|diplomats|"
        r"special forces|troops|personnel|miners|courthouse|campus)\b"
    ),
    blockers=_c(
        r"\b(?:drills?|exercises?|simulation|simulated|mock|rehearsal|hip|bone|fracture|fractured|"
        r"joint|dysplasia|vertebra\w*|disc|dislocat\w*|surgery|orthopa?edic|shoulder|knee|ankle|"
        r"wrist|displacement (?:sensor|transducer|engine|tonnage|of \d)|market share|smartphone|"
        r"engine|tonnes displacement|cc|innings?|touchdowns?|quarterback|home runs?|playoffs?|"
        r"goalkeeper|halftime|half-time|overtime)\b"
    ),
    destination_preps=_c(r"\b(?:to|towards?|into|for|heading for|bound for|in the direction of)\b"),
    origin_preps=_c(r"\b(?:from|out of)\s+(?:the\s+)?\Z"),
    hazards=(
        ("tsunami", _c(r"\btsunamis?\b")),
        ("earthquake", _c(r"\b(?:earthquakes?|quakes?|tremors?|seismic|aftershocks?)\b")),
        ("volcano", _c(r"\b(?:volcan\w*|eruptions?|erupted|lava|ash ?fall|lahars?)\b")),
        ("landslide", _c(r"\b(?:landslides?|mudslides?|land ?slips?|mudflows?|rockslides?|debris flows?)\b")),
        ("wildfire", _c(r"\b(?:wild ?fires?|bush ?fires?|forest fires?|blazes?|fires?|flames|burn\w*)\b")),
        (
            "storm",
            _c(
                r"\b(?:storms?|cyclones?|hurricanes?|typhoons?|tornado\w*|gales?|winds|"
                r"tropical depression|hailstorms?|blizzards?)\b"
            ),
        ),
        (
            "flood",
            _c(
                r"\b(?:floods?|flooding|flooded|flash floods?|inundat\w*|rains?|rainfall|rainstorms?|"
                r"downpours?|monsoon|overflow\w*|deluge|river burst|dam burst|waterlogged)\b"
            ),
        ),
        ("drought", _c(r"\b(?:droughts?|dry spell|water shortage|crop failure|famine)\b")),
        (
            "extreme_temperature",
            _c(
                r"\b(?:heat ?waves?|cold ?waves?|cold snap|extreme (?:heat|cold)|"
                r"freezing temperatures)\b"
            ),
        ),
        (
            "conflict",
            _c(
                r"\b(?:conflict\w*|fighting|fights?|clash\w*|war|wars|warfare|rebels?|insurgen\w*|"
                r"militants?|militia\w*|armed|army|military|troops|soldiers|offensive|attacks?|"
                r"attacked|raids?|airstrikes?|air strikes?|shelling|bomb\w*|violence|violent|"
                r"gunmen|jihadist\w*|terroris\w*|siege|besieged|opposition|regime|security forces|"
                r"ethnic|insecurity|gangs?|boko haram|al-shabaab|islamic state|isis|isil|"
                r"ceasefire|cease-fire|truce|surrender|population transfer)\b"
            ),
        ),
    ),
)

_FR = LanguageData(
    code="fr",
    stems=(
        "refuge",
        "domicile",
        "déplac",
        "deplac",
        "évacu",
        "evacu",
        "fui",
        "fuy",
        "fuir",
        "sans-abri",
        "sans abri",
        "abri",
        "camp",
        "reloge",
        "relocalis",
        "réinstall",
        "détrui",
        "detrui",
        "endommag",
        "inhabitable",
        "sinistr",
        "réfugi",
        "refugi",
        "quitt",
        "sorti",
        "partir",
        "hébergé",
        "heberge",
        "effondr",
        "emporté",
        "rasé",
        "incendi",
        "chassé",
        "contraint",
        "pdi",
    ),
    person_triggers=_pairs(
        [
            ("\\b(?:trouvé|trouver|cherché) refuge\\b", "sheltered"),
            (
                "\\b(?:dû |du )?quitter (?:leurs?|son|sa) (?:domiciles?|maisons?|logements?|foyers?|villages?)\\b",
                "displaced",
            ),
            (r"\bsans[- ]abris?\b|\bsans logis\b|\bsinistrés?\b", "homeless"),
            (
                r"\bcamps? (?:de (?:déplacés|deplaces|réfugiés|fortune)|d'accueil)\b|\bsites? de déplacés\b",
                "in_relief_camp",
            ),
            (
                r"\b(?:hébergé\w*|heberge\w*|abrité\w*|accueilli\w*|centres? d'(?:accueil|hébergement|évacuation)|"
                r"réfugiés? dans|mis à l'abri|relogés? temporairement)\b",
                "sheltered",
            ),
            (r"\b(?:évacu\w*|evacu\w*|transférés?|transfert|exfiltrés?)\b", "evacuated"),
            (r"\b(?:relog\w*|relocalis\w*|réinstall\w*|reinstall\w*)\b", "relocated"),
            (
                r"\b(?:fui|fuient|fuyant|fuir|fuite|chassés?|contraint\w* (?:de|à) (?:fuir|quitter|partir)|forcés? "
                r"(?:de|à) (?:fuir|quitter|partir))\b",
                "forced_to_flee",
            ),
            (r"\b(?:déplac\w*|deplac\w*)\b", "displaced"),
        ]
    ),
    weak_triggers=_pairs(
        [
            (
                r"\b(?:sortir|sortie|sortis|quitter|quitté\w*|quittent|partir|partis|parti\w*|aller|rejoindre)\b",
                "evacuated",
            ),
        ]
    ),
    housing_triggers=_pairs(
        [
            (r"\binhabitables?\b", "uninhabitable_housing"),
            (
                r"\b(?:partiellement (?:détruit\w*|effondr\w*)|endommag\w*|fissur\w*)\b",
                "partially_destroyed_housing",
            ),
            (
                r"\b(?:détrui\w*|detrui\w*|rasé\w*|effondr\w*|emporté\w*|incendié\w*|brûlé\w*|ensevel\w*)\b",
                "destroyed_housing",
            ),
        ]
    ),
    status_nouns=_pairs(
        [(r"\bdéplacés?\b|\bdeplaces?\b|\bpdis?\b", "displaced"), (r"\bévacués\b", "evacuated")]
    ),
    person_nouns=_c(
        r"(?:personnes?|habitants?|résidents?|civils?|villageois|individus|enfants|femmes|hommes|"
        r"familles? de réfugiés|réfugiés?|déplacés|deplaces|rebelles?|combattants?|insurgés|"
        r"jihadistes|djihadistes|âmes|membres|citoyens|élèves|ressortissants|migrants|sinistrés)"
    ),
    household_nouns=_c(r"(?:familles?|ménages?|menages?|foyers?)"),
    housing_nouns=_c(
        r"(?:maisons?|habitations?|logements?|bâtiments?|batiments?|cases?|huttes?|"
        r"abris|tentes?|immeubles?|demeures?)"
    ),
    negative_cues=_c(
        r"\b(?:tué\w*|tue\w*|morts?|mortes|décès|deces|décédé\w*|victimes|péri|noyé\w*|bless\w*|"
        r"disparu\w*|bloqué\w*|coincé\w*|piégé\w*|assiégé\w*|"
        r"retour\w*|rentré\w*|revenu\w*|rest\w*|arrêté\w*|enlevé\w*|otages?|soldats|policiers|"
        r"pompiers|secouristes|bénévoles|militaires|agents)\b"
    ),
    weak_negative_cues=_c(r"\b(?:affecté\w*|touché\w*|sinistrées? par|assisté\w*|bénéficiaires)\b"),
    capacity_cues=_c(
        r"\b(?:capacité|peut accueillir|peuvent accueillir|pouvant accueillir|population de|"
        r"compte \S+ habitants|abrite)\b"
    ),
    future_cues=_c(
        r"\b(?:vont|va|doivent|doit|devraient|devrait|devront|prévu\w*|prevu\w*|pourraient|pourrait|"
        r"pourront|attendu\w*|seront|sera|serait|seraient|aller|s'apprêtent|envisag\w*|"
        r"\w+eront|\w+iront|\w+eraient)\b"
    ),
    transient_evacuation=_c(
        r"\b(?:vols?|avions?|aéroports?|aeroports?|passagers|équipage|à bord|paquebots?|ferry|"
        r"centres? commerciaux|stades?|concerts?|alerte à la bombe|colis suspect|objet suspect|fuite de gaz|"
        r"ambassade|diplomates|troupes|mineurs de fond)\b"
    ),
    blockers=_c(
        r"\b(?:exercices?|simulation|simulacre|hanche|fracture|os|articulation|luxation|"
        r"chirurgie|part de marché|smartphones?|championnat|ligue 1|mi-temps|buts?)\b"
    ),
    destination_preps=_c(r"\b(?:vers|en direction de|jusqu'à|rejoindre|gagner|à destination de)\b"),
    origin_preps=_c(r"\b(?:depuis|hors de|en provenance de)\s+(?:la\s+|le\s+|l')?\Z"),
    hazards=(
        ("tsunami", _c(r"\btsunamis?\b|\braz-de-marée\b")),
        ("earthquake", _c(r"\b(?:séismes?|seismes?|tremblements? de terre|secousses?|sismique)\b")),
        ("volcano", _c(r"\b(?:volcan\w*|éruptions?|eruptions?|lave)\b")),
        ("landslide", _c(r"\b(?:glissements? de terrain|éboulements?|coulées? de boue)\b")),
        ("wildfire", _c(r"\b(?:incendies?|feux de forêt|feux|flammes)\b")),
        ("storm", _c(r"\b(?:tempêtes?|tempetes?|cyclones?|ouragans?|typhons?|tornades?|orages?)\b")),
        ("flood", _c(r"\b(?:inondations?|inondé\w*|crues?|pluies?|pluviales|débordement\w*|intempéries)\b")),
        ("drought", _c(r"\b(?:sécheresses?|secheresses?|famine)\b")),
        ("extreme_temperature", _c(r"\b(?:canicules?|vagues? de (?:chaleur|froid)|grand froid)\b")),
        (
            "conflict",
            _c(
                r"\b(?:conflits?|combats?|affrontements?|guerres?|rebelles?|insurg\w*|armée|"
                r"armés?|militaires?|soldats|offensive|attaques?|raids?|frappes?|bombard\w*|"
                r"violences?|jihadist\w*|djihadist\w*|terroris\w*|siège|assiég\w*|opposition|"
                r"régime|milices?|groupes armés|insécurité|cessez-le-feu|trêve|reddition)\b"
            ),
        ),
    ),
)

_ES = LanguageData(
    code="es",
    stems=(
        "desaloj",
        "destru",
        "refugi",
        "desplaz",
        "evacu",
        "huy",
        "hui",
        "huir",
        "damnific",
        "albergad",
        "albergue",
        "refugi",
        "reubic",
        "reasent",
        "destrui",
        "destruid",
        "dañad",
        "danad",
        "daño",
        "dano",
        "inhabitable",
        "sin hogar",
        "sin techo",
        "viviendas",
        "casas",
        "abandon",
        "salieron",
        "salir",
        "derrumb",
        "colaps",
        "arrasad",
        "campamento",
        "trasladad",
    ),
    person_triggers=_pairs(
        [
            (
                "\\b(?:abandonar(?:on)?|dejar(?:on)?) sus (?:hogares|casas|viviendas|tierras|comunidades|veredas)\\b",
                "forced_to_flee",
            ),
            ("\\bdesaloj\\w*\\b", "evacuated"),
            (
                r"\bsin (?:hogar(?:es)?|techo|viviendas?)\b|\bperdieron sus (?:casas|viviendas|hogares)\b",
                "homeless",
            ),
            (r"\bcampamentos?\b|\bcampos? de (?:desplazados|refugiados)\b", "in_relief_camp"),
            (
                r"\b(?:albergad\w*|albergues?|refugios?|refugiad[oa]s en|alojad\w*|centros? de (?:acopio|evacuación|"
                r"evacuacion|refugio))\b",
                "sheltered",
            ),
            (r"\b(?:evacu\w*)\b", "evacuated"),
            (r"\b(?:reubicad\w*|reubic\w*|reasentad\w*|trasladad\w*|traslad\w*)\b", "relocated"),
            (
                r"\b(?:huy\w*|hui\w*|huir|obligad\w* a (?:huir|abandonar|dejar|salir)|forzad\w* a (?:huir|abandonar|"
                r"dejar|salir)|escapar\w*)\b",
                "forced_to_flee",
            ),
            (r"\b(?:desplazad\w*|desplazamiento\w*|desplaz\w*)\b", "displaced"),
        ]
    ),
    weak_triggers=_pairs(
        [
            (r"\b(?:salieron|salir|sal\w+|abandonaron|dejaron|partieron|llegaron)\b", "evacuated"),
        ]
    ),
    housing_triggers=_pairs(
        [
            ("\\bdestru(?:y[óo]|yeron|idas?|idos?)\\b", "destroyed_housing"),
            (r"\binhabitables?\b", "uninhabitable_housing"),
            (
                r"\b(?:parcialmente (?:destruid\w*|dañad\w*)|dañad\w*|danad\w*|daños|danos|afectaciones)\b",
                "partially_destroyed_housing",
            ),
            (
                r"\b(?:destruid\w*|destrucción|totalmente dañad\w*|derrumbad\w*|colapsad\w*|arrasad\w*|"
                r"sepultad\w*|soterrad\w*|arrastrad\w*|pérdida total|perdida total)\b",
                "destroyed_housing",
            ),
        ]
    ),
    status_nouns=_pairs(
        [
            (r"\bdesplazad[oa]s\b", "displaced"),
            (r"\bevacuad[oa]s\b", "evacuated"),
            (r"\balbergad[oa]s\b", "sheltered"),
        ]
    ),
    person_nouns=_c(
        r"(?:personas?|habitantes|residentes|civiles|pobladores|vecinos|individuos|niñ[oa]s|menores|"
        r"mujeres|hombres|adultos|ancianos|refugiados|desplazados|evacuados|albergados|"
        r"migrantes|campesinos|indígenas|indigenas|rebeldes|combatientes|miembros|ciudadanos)"
    ),
    household_nouns=_c(r"(?:familias?|hogares|núcleos familiares)"),
    housing_nouns=_c(
        r"(?:viviendas?|casas?|hogares|edificios?|inmuebles?|chozas?|ranchos?|"
        r"construcciones|estructuras)"
    ),
    negative_cues=_c(
        r"\b(?:muert\w*|fallecid\w*|falleci\w*|víctimas|victimas|mortales|herid\w*|lesionad\w*|"
        r"desaparecid\w*|atrapad\w*|aislad\w*|incomunicad\w*|sitiad\w*|asediad\w*|"
        r"retorn\w*|regres\w*|volvieron|permanec\w* en sus (?:casas|viviendas|hogares|comunidades)|"
        r"quedaron en sus (?:casas|viviendas|hogares)|detenid\w*|secuestrad\w*|rehenes|"
        r"rescatistas|bomberos|socorristas|voluntarios|soldados|policías|policias|militares|agentes|"
        r"menores de edad|anegad\w*|inundad\w*|incidentes)\b"
    ),
    weak_negative_cues=_c(r"\b(?:afectad\w*|damnificad\w*|atendid\w*|beneficiad\w*|asistid\w*)\b"),
    capacity_cues=_c(
        r"\b(?:capacidad|disponibles para|pueden albergar|puede albergar|población de|"
        r"poblacion de|habitantes tiene|para recibir)\b"
    ),
    future_cues=_c(
        r"\b(?:van a|va a|serán|sera|será|seran|deberán|deberan|debería|deberia|se prevé|se preve|"
        r"previst\w*|podrían|podrian|podría|podria|\w+arán|\w+erán|\w+irán|planea\w*|programad\w*)\b"
    ),
    transient_evacuation=_c(
        r"\b(?:vuelos?|aviones?|aeropuertos?|pasajeros|tripulación|tripulacion|a bordo|cruceros?|"
        r"ferry|centros? comerciales?|estadios?|conciertos?|amenaza de bomba|paquete sospechoso|"
        r"objeto sospechoso|fuga de gas|embajada|diplomáticos|tropas)\b"
    ),
    blockers=_c(
        r"\b(?:simulacros?|ejercicios?|simulación|simulacion|cadera|fractura|hueso|articulación|"
        r"luxación|cirugía|cuota de mercado|teléfonos?|liga|goles?|campeonato|"
        r"futbol|fútbol)\b"
    ),
    destination_preps=_c(r"\b(?:hacia|rumbo a|con destino a|hasta)\b"),
    origin_preps=_c(r"\b(?:desde|procedentes de|provenientes de)\s+(?:la\s+|el\s+|los\s+|las\s+)?\Z"),
    hazards=(
        ("tsunami", _c(r"\btsunamis?\b|\bmaremotos?\b")),
        ("earthquake", _c(r"\b(?:terremotos?|sismos?|seísmos?|temblor\w*|sísmic\w*)\b")),
        ("volcano", _c(r"\b(?:volc[aá]n\w*|erupci\w*|lava|ceniza)\b")),
        (
            "landslide",
            _c(r"\b(?:deslizamientos?|deslaves?|derrumbes?|aludes?|alud|corrimientos? de tierra)\b"),
        ),
        ("wildfire", _c(r"\b(?:incendios?|fuegos?|llamas)\b")),
        (
            "storm",
            _c(
                r"\b(?:tormentas?|huracan\w*|huracán|ciclon\w*|ciclón|tifón|tifon\w*|tornados?|"
                r"temporal\w*|vendaval\w*)\b"
            ),
        ),
        (
            "flood",
            _c(
                r"\b(?:inundaci\w*|inundad\w*|lluvias?|crecidas?|desbordamientos?|desbord\w*|"
                r"riadas?|aguaceros?|precipitaciones|anegad\w*)\b"
            ),
        ),
        ("drought", _c(r"\b(?:sequías?|sequias?|hambruna)\b")),
        ("extreme_temperature", _c(r"\b(?:ola de (?:calor|frío|frio)|heladas?)\b")),
        (
            "conflict",
            _c(
                r"\b(?:conflictos?|combates?|enfrentamientos?|guerras?|rebeldes?|insurg\w*|ejército|"
                r"armad[oa]s|militar\w*|ofensiva|ataques?|bombarde\w*|violencia|violent\w*|"
                r"paramilitar\w*|guerrill\w*|pandillas?|maras|narcotrafic\w*|terroris\w*|"
                r"grupos armados|disidencias|amenazas)\b"
            ),
        ),
    ),
)

_LANGUAGES = {"en": _EN, "fr": _FR, "es": _ES}
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(_LANGUAGES)


@cache
def get_language_data(code: str | None) -> LanguageData | None:
    """The lexicon for a language code ("en", "fr-FR"…), or None when unsupported."""
    if not code:
        return None
    return _LANGUAGES.get(code.lower()[:2])


@cache
def all_stems() -> tuple[str, ...]:
    """Stems of every language: the prefilter runs before (or without) language identification."""
    return tuple(sorted({s for data in _LANGUAGES.values() for s in data.stems}))
