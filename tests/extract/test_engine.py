"""Extraction on text we wrote: what is a fact, what is not, and the evidence it carries."""

from __future__ import annotations

import datetime as dt

import pytest

from displacement_monitor.model import Document, ExtractionResult
from displacement_monitor.pipeline import Pipeline
from displacement_monitor.samples import sample_documents


def run(
    pipeline: Pipeline, text: str, language: str = "en", published: str | None = "2024-05-04"
) -> ExtractionResult:
    doc = Document(
        id="t",
        text=text,
        language=language,
        published=dt.date.fromisoformat(published) if published else None,
    )
    result = pipeline.process(doc)
    assert result.error is None, result.error
    return result


def figures(result: ExtractionResult) -> list[tuple[object, ...]]:
    return [(f.figure, f.figure_min, f.figure_max, f.unit, f.term, f.modality) for f in result.facts]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "At least 60 homes were destroyed by the floods in the province.",
            "en",
            (60, 60, None, "household", "destroyed_housing", "reported"),
        ),
        (
            "The wildfire forced around 88,000 people to flee the city.",
            "en",
            (88000, 88000, 88000, "person", "forced_to_flee", "reported"),
        ),
        (
            "After the storm, 3,000 were in shelters across the district.",
            "en",
            (3000, 3000, 3000, "person", "sheltered", "reported"),
        ),
        (
            "Officials said 2,500 residents will leave the district on Monday under the deal.",
            "en",
            (2500, 2500, 2500, "person", "evacuated", "expected"),
        ),
        (
            "Hundreds of families fled the fighting in the north of the country.",
            "en",
            (None, 200, 999, "household", "forced_to_flee", "reported"),
        ),
        (
            "Between 2,000 and 4,000 people have been displaced by the floods.",
            "en",
            (4000, 2000, 4000, "person", "displaced", "reported"),
        ),
        (
            "Plus de 1 200 personnes ont été évacuées après les inondations.",
            "fr",
            (1200, 1200, None, "person", "evacuated", "reported"),
        ),
        (
            "Unas 3.500 personas se encuentran evacuadas por las lluvias en la provincia.",
            "es",
            (3500, 3500, 3500, "person", "evacuated", "reported"),
        ),
        (
            "Las lluvias dejaron 600 familias sin hogar en el departamento.",
            "es",
            (600, 600, 600, "household", "homeless", "reported"),
        ),
        (
            "Some 40 houses were damaged and 12 destroyed.",
            "en",
            (12, 12, 12, "household", "destroyed_housing", "reported"),
        ),
        (
            "The typhoon left 2 lakh people homeless.",
            "en",
            (200000, 200000, 200000, "person", "homeless", "reported"),
        ),
        (
            "The government plans to resettle 5,000 households next year.",
            "en",
            (5000, 5000, 5000, "household", "relocated", "expected"),
        ),
        (
            "Environ 300 familles ont trouvé refuge dans une école.",
            "fr",
            (300, 300, 300, "household", "sheltered", "reported"),
        ),
        (
            "Plus de 2 000 personnes ont dû quitter leur domicile à cause des combats.",
            "fr",
            (2000, 2000, None, "person", "displaced", "reported"),
        ),
        (
            "El sismo destruyó 340 viviendas y dejó a 1.200 personas sin techo.",
            "es",
            (340, 340, 340, "household", "destroyed_housing", "reported"),
        ),
        (
            "Unas 150 familias tuvieron que abandonar sus hogares por la crecida del río.",
            "es",
            (150, 150, 150, "household", "forced_to_flee", "reported"),
        ),
        (
            "The floods affected 200,000 people and displaced 45,000 others.",
            "en",
            (45000, 45000, 45000, "person", "displaced", "reported"),
        ),
        (
            "Around 120 families are living in tents after their houses collapsed.",
            "en",
            (120, 120, 120, "household", "sheltered", "reported"),
        ),
        (
            "Nearly 4,000 people remain in evacuation centres.",
            "en",
            (4000, 4000, 4000, "person", "sheltered", "reported"),
        ),
        (
            "Más de 500 personas permanecen en albergues temporales.",
            "es",
            (500, 500, None, "person", "sheltered", "reported"),
        ),
        (
            "El huracán dejó 1.200 viviendas con daños y 300 totalmente destruidas.",
            "es",
            (300, 300, 300, "household", "destroyed_housing", "reported"),
        ),
    ],
)
def test_engine_links_figure_unit_and_term(
    pipeline: Pipeline, text: str, language: str, expected: tuple[object, ...]
) -> None:
    assert expected in figures(run(pipeline, text, language))


@pytest.mark.parametrize(
    "text",
    [
        "At least 45 people were killed and 120 injured when the building collapsed.",
        "About 7,000 residents took part in the tsunami evacuation drill on Monday.",
        "The clinic treated 300 children for hip displacement last year.",
        "The city, home to 75,000 people, was hit by the storm.",
        "The new shelter can accommodate up to 500 people.",
        "Some 2,000 people remain trapped in the besieged town.",
        "Seattle 27, Tampa Bay 24: the kicker scored with 8 seconds left in overtime.",
        "Around 15,000 people have returned to their homes since the ceasefire.",
        "The apple harvest displaced 40 percent of imports, traders said.",
        "The floods affected 200,000 people across the province.",
        "Las lluvias dejaron 2 mil damnificados en la región.",
    ],
)
def test_engine_rejects_what_is_not_displacement(pipeline: Pipeline, text: str) -> None:
    assert run(pipeline, text).facts == []


def test_engine_evidence_offsets_point_into_cleaned_text(pipeline: Pipeline) -> None:
    result = pipeline.process(
        Document(
            id="e", text="Floods hit the valley.\n\nMore than 4,000 people were evacuated.", language="en"
        )
    )
    assert result.facts
    for fact in result.facts:
        assert result.text is not None
        assert result.text[fact.start : fact.end] == fact.quote
        assert fact.figure_text and fact.figure_text in fact.quote


def test_engine_one_fact_per_claim_across_headline_and_body(pipeline: Pipeline) -> None:
    text = (
        "Storm: 12,000 evacuated\nThe storm forced about 12,000 people to evacuate on Saturday, "
        "officials said.\nThe storm forced about 12,000 people to evacuate on Saturday, officials said."
    )
    result = run(pipeline, text)
    assert [f.figure for f in result.facts] == [12000]


def test_engine_resolves_relative_dates_against_publication(pipeline: Pipeline) -> None:
    result = run(pipeline, "On Saturday, 5,000 people were evacuated from the coast.", published="2017-05-23")
    date = result.facts[0].date
    assert date is not None and date.start == dt.date(2017, 5, 20) and date.precision == "day"


def test_engine_cause_and_country(pipeline: Pipeline) -> None:
    result = run(pipeline, "Floods in Pakistan: more than 45,000 people were evacuated in Sindh province.")
    assert (result.cause, result.hazard, result.country_iso3) == ("disaster", "flood", "PAK")
    conflict = run(pipeline, "Fighting between the army and rebels in Ituri forced 7,500 people to flee.")
    assert (conflict.cause, conflict.country_iso3) == ("conflict", "COD")


def test_engine_samples_negatives_have_no_facts_and_positives_do(pipeline: Pipeline) -> None:
    for document in sample_documents():
        result = pipeline.process(document)
        negative = document.id.endswith(("drill", "medical"))
        assert result.relevant is not negative, document.id
        assert bool(result.facts) is not negative, document.id


def test_engine_origin_and_destination(pipeline: Pipeline) -> None:
    result = run(
        pipeline,
        "Under the deal, 2,500 residents will leave al-Waer for opposition areas in northern Syria "
        "on Monday.",
    )
    (fact,) = result.facts
    assert fact.location is not None and fact.location.name == "al-Waer"
    assert fact.location.country_iso3 == "SYR" and fact.location.lat is not None
    assert fact.destination is not None and fact.destination.name == "northern Syria"


@pytest.mark.parametrize(
    "text",
    [
        "Rescue workers evacuated 1,300 passengers and crew from the disabled cruise ship.",
        "About 189 passengers were evacuated after smoke was reported on board the flight.",
        "Jan. 28 -- The school was evacuated after a bomb threat on Saturday evening.",
        "If the weather is bad, the event will be moved to the hall at 207 19th St.",
        "The bodies of four homeless men have been discovered over the past few weeks.",
        "He said the administration moved 475,669 people to 11,820 cyclone shelters.",
    ],
)
def test_engine_rejects_transient_evacuations_and_facilities(pipeline: Pipeline, text: str) -> None:
    facts = run(pipeline, text).facts
    assert all(f.figure not in {1300, 189, 28, 207, 4, 11820} for f in facts), figures(run(pipeline, text))


def test_engine_survives_pathological_text(pipeline: Pipeline) -> None:
    import time

    glued = (
        "Floods displaced 3,000 people in the valley and officials said more help was coming" * 300
    ).replace("coming", "coming.")
    for text, published in [
        (glued.replace(". ", ".") + " 1,000 people were evacuated.", "2020-01-01"),
        ("&amp;" * 50_000 + " 3,000 people were displaced on Saturday.", "2020-01-01"),
        ("On Saturday 2,000 people were evacuated from the coast.", "0001-01-01"),
        ("On Monday 2,000 people were evacuated from the coast.", "9999-12-31"),
    ]:
        started = time.perf_counter()
        result = pipeline.process(
            Document(id="p", text=text, language="en", published=dt.date.fromisoformat(published))
        )
        assert result.error is None, result.error
        assert time.perf_counter() - started < 10


def test_engine_fact_without_a_place_in_its_sentence_takes_the_one_before(pipeline: Pipeline) -> None:
    text = (
        "Floods swept through Sylhet in Bangladesh on Monday.\n\n"
        "More than 9,000 people were evacuated to shelters, officials said.\n\n"
        "In Nepal, landslides blocked roads."
    )
    result = run(pipeline, text)
    (fact,) = [f for f in result.facts if f.figure == 9000]
    assert fact.location is not None and fact.location.name == "Sylhet"
    assert fact.location.confidence is not None and fact.location.confidence < 0.6  # implied, not stated
    assert fact.location.start is not None and fact.location.start < fact.start  # points at the mention


def test_engine_context_place_stays_in_the_document_country(pipeline: Pipeline) -> None:
    result = run(pipeline, "Some 4,000 people were displaced by the fighting, the agency said.")
    assert [f.location for f in result.facts] == [None]
