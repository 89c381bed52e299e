"""Synthetic, labelled corpus of 医疗保障局 disclosures (``yibao-audit synth``).

Modules, in data-flow order:

- ``regions``: real county-level divisions (reference table, else a built-in list) and sampling;
- ``style``: province and bureau writing habits (unit, number style, layout, phrasing, artefacts);
- ``finance``: the exact integer finance model of one bureau-year (all identities by construction);
- ``money``: ledger integers, exact splits, half-up percentages, printing;
- ``narrative`` / ``indicators``: templates (≥5 phrasings per section) and 自评 indicator rows;
- ``tables`` / ``documents`` / ``draft``: 公开01–09表, 自评表 and narrative as editable drafts -> Blocks;
- ``anomalies``: labelled injections for every kind in ``toolkit.kinds``;
- ``generate``: bureau-years in memory; ``corpus``: files + labels.parquet + truth.parquet.
"""
