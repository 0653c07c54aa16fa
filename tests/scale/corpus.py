"""A small multilingual news corpus written for these tests (no third-party text).

Displacement reports in English, French and Spanish, off-topic stories, one syndicated copy with
small edits, and inputs that must fail without stopping the batch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

REPORTS: list[dict[str, Any]] = [
    {
        "id": "en-flood-1",
        "language": "en",
        "published": "2024-03-12",
        "title": "Floods force thousands from homes in Bangladesh",
        "text": (
            "Heavy monsoon rains caused severe flooding across Sylhet district in Bangladesh on Monday, "
            "officials said. More than 12,000 people were evacuated to government shelters as the Surma "
            "river burst its banks. Local authorities said about 3,000 houses were destroyed and relief "
            "teams were distributing rice and drinking water in the worst affected villages."
        ),
    },
    {
        "id": "en-quake-1",
        "language": "en",
        "published": "2024-03-20",
        "title": "Earthquake leaves families homeless",
        "text": (
            "A magnitude 6.4 earthquake struck western Nepal late on Friday. The disaster management "
            "authority said 2,500 families were left homeless in Jajarkot district and around 800 "
            "people were sheltering in temporary camps near the district headquarters. Rescue workers "
            "were still searching collapsed buildings in remote hill villages on Saturday morning."
        ),
    },
    {
        "id": "en-conflict-1",
        "language": "en",
        "published": "2024-04-02",
        "title": "Fighting displaces civilians in Sudan",
        "text": (
            "Renewed fighting between armed groups around El Fasher in North Darfur has displaced at "
            "least 40,000 people in the past two weeks, the United Nations said on Tuesday. Many of "
            "those who fled walked for days to reach camps near the border with Chad, where aid "
            "agencies warned that water and food supplies were running dangerously low."
        ),
    },
    {
        "id": "en-storm-1",
        "language": "en",
        "published": "2024-04-15",
        "title": "Cyclone prompts evacuations in Mozambique",
        "text": (
            "Authorities in Mozambique evacuated nearly 20,000 people from coastal areas of Nampula "
            "province ahead of the cyclone's landfall on Sunday. Schools and churches were turned into "
            "emergency shelters. The national weather service warned of winds above 150 kilometres per "
            "hour and storm surges along the low lying coast through Monday evening."
        ),
    },
    {
        "id": "en-fire-1",
        "language": "en",
        "published": "2024-05-03",
        "title": "Wildfire destroys homes in Chile",
        "text": (
            "A fast moving wildfire near Valparaiso in Chile destroyed more than 1,100 homes on "
            "Saturday, the interior ministry said. Some 6,000 residents were ordered to leave the hills "
            "above the city as firefighters struggled against strong winds. Officials opened three "
            "evacuation centres and asked people to avoid the coastal road to let emergency crews pass."
        ),
    },
    {
        "id": "fr-inondation-1",
        "language": "fr",
        "published": "2024-03-28",
        "title": "Inondations au Niger",
        "text": (
            "Les inondations provoquées par les fortes pluies ont fait plus de 15 000 sinistrés dans la "
            "région de Maradi au Niger, selon la protection civile. Environ 2 000 maisons se sont "
            "effondrées et les familles sans abri ont été relogées dans des écoles de la ville. Les "
            "autorités craignent une nouvelle crue du fleuve dans les prochains jours."
        ),
    },
    {
        "id": "fr-conflit-1",
        "language": "fr",
        "published": "2024-04-09",
        "title": "Des milliers de déplacés au Burkina Faso",
        "text": (
            "Les attaques de groupes armés dans la province du Soum au Burkina Faso ont contraint plus "
            "de 8 000 personnes à fuir leurs villages la semaine dernière, a indiqué le gouvernement. "
            "Les déplacés se sont réfugiés à Djibo où les services sociaux distribuent des vivres. Les "
            "organisations humanitaires demandent un accès sûr aux zones touchées par les violences."
        ),
    },
    {
        "id": "fr-cyclone-1",
        "language": "fr",
        "published": "2024-01-18",
        "title": "Cyclone à Madagascar",
        "text": (
            "Le passage du cyclone sur la côte est de Madagascar a obligé près de 5 000 habitants à "
            "évacuer leurs maisons à Toamasina, selon le bureau national de gestion des risques. Des "
            "centaines de maisons ont été détruites par les vents violents. Les sinistrés sont hébergés "
            "dans des gymnases et des écoles en attendant le retour au calme."
        ),
    },
    {
        "id": "es-inundacion-1",
        "language": "es",
        "published": "2024-02-11",
        "title": "Inundaciones en Bolivia",
        "text": (
            "Las intensas lluvias provocaron inundaciones en el departamento de Beni en Bolivia y "
            "obligaron a evacuar a más de 3.000 familias, informó el viceministerio de Defensa Civil. "
            "Los damnificados fueron trasladados a albergues temporales en Trinidad. Las autoridades "
            "advirtieron que el nivel del río Mamoré seguirá subiendo durante los próximos días."
        ),
    },
    {
        "id": "es-terremoto-1",
        "language": "es",
        "published": "2024-05-21",
        "title": "Sismo en Ecuador",
        "text": (
            "Un sismo de magnitud 6,1 sacudió la provincia de Manabí en Ecuador el martes. La "
            "Secretaría de Gestión de Riesgos informó que unas 1.200 personas quedaron sin hogar y que "
            "al menos 300 viviendas resultaron destruidas en la ciudad de Portoviejo. Los equipos de "
            "rescate instalaron carpas en el estadio municipal para alojar a los afectados."
        ),
    },
    {
        "id": "es-conflicto-1",
        "language": "es",
        "published": "2024-06-04",
        "title": "Desplazamiento en Colombia",
        "text": (
            "Los enfrentamientos entre grupos armados en el Catatumbo, en Colombia, han provocado el "
            "desplazamiento de unas 5.000 personas hacia el casco urbano de Tibú, según la Defensoría "
            "del Pueblo. Las familias desplazadas duermen en coliseos y escuelas mientras las "
            "autoridades locales piden apoyo del gobierno nacional para atender la emergencia."
        ),
    },
]

OFF_TOPIC: list[dict[str, Any]] = [
    {
        "id": "en-sport-1",
        "language": "en",
        "published": "2024-03-15",
        "text": (
            "The home side came from two goals down to win 3-2 on Saturday, with the captain scoring "
            "twice in the final ten minutes. The coach praised the players for their character and "
            "said the result would give the squad confidence ahead of the cup semi final next week."
        ),
    },
    {
        "id": "en-economy-1",
        "language": "en",
        "published": "2024-04-11",
        "text": (
            "The central bank kept its main interest rate unchanged at 5.25 percent on Thursday, citing "
            "easing inflation and a cooling labour market. Analysts expect the first cut in the second "
            "half of the year, although several board members warned that price pressures remain high."
        ),
    },
    {
        "id": "fr-culture-1",
        "language": "fr",
        "published": "2024-05-09",
        "text": (
            "Le festival de musique de la ville a attiré plus de 40 000 spectateurs ce week-end, un "
            "record selon les organisateurs. Une trentaine de groupes se sont succédé sur trois scènes "
            "installées dans le parc, et la programmation de l'an prochain sera dévoilée en octobre."
        ),
    },
    {
        "id": "es-economia-1",
        "language": "es",
        "text": (
            "Las exportaciones agrícolas crecieron un 8 por ciento en el primer trimestre, impulsadas "
            "por la demanda de frutas y café en los mercados europeos, según el ministerio de comercio. "
            "Los productores esperan mantener el ritmo si el clima acompaña durante la cosecha."
        ),
    },
]

#: A syndicated copy of the first report: a new id and URL, a different closing line.
SYNDICATED = {
    **REPORTS[0],
    "id": "en-flood-1-wire",
    "text": REPORTS[0]["text"] + " Additional reporting by our regional desk.",
}


def good_records() -> list[dict[str, Any]]:
    """About 30 records: reports and off-topic stories interleaved, the copy placed far from its source."""
    records: list[dict[str, Any]] = []
    for round_ in range(2):
        for report in REPORTS:
            record = dict(report)
            if round_:
                record["id"] = f"{report['id']}-followup"
                record["published"] = None if report["id"].startswith("es-") else report["published"]
                record["text"] = "Update: " + report["text"].replace("officials", "local officials")
            records.append(record)
        records.extend(dict(r, id=f"{r['id']}-{round_}") for r in OFF_TOPIC)
    records.append(dict(SYNDICATED))
    return records


def write_corpus(folder: Path) -> list[str]:
    """JSONL (with bad lines) and Parquet inputs in ``folder``; returns the input paths."""
    folder.mkdir(parents=True, exist_ok=True)
    records = good_records()
    jsonl = folder / "news.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records[:20]]
    lines.insert(3, "{not json at all")
    lines.insert(9, json.dumps({"id": "no-text", "title": "A headline without a body"}))
    lines.insert(14, json.dumps(["a", "list", "not", "an", "object"]))
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parquet = folder / "more.parquet"
    rows = [
        {k: r.get(k) for k in ("id", "text", "url", "published", "title", "language")} for r in records[20:]
    ]
    rows.append(
        {"id": "empty-row", "text": "   ", "url": None, "published": None, "title": None, "language": None}
    )
    pq.write_table(pa.Table.from_pylist(rows), parquet, row_group_size=6)
    return [str(jsonl), str(parquet), str(folder / "missing.jsonl")]
